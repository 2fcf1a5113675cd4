package io.kubeward.cli;

import io.kubeward.engine.Finding;
import io.kubeward.engine.NodeExposure;
import io.kubeward.engine.Severity;
import io.kubeward.manifest.InputError;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The human-readable report of {@code scan}: findings grouped by resource, node exposure, input errors, summary. */
final class TextReport {

    private TextReport() {
    }

    static void write(ScanReport r, PrintWriter out) {
        Map<String, List<Finding>> byResource = new LinkedHashMap<>();
        for (Finding f : r.findings()) {
            byResource.computeIfAbsent(header(f), k -> new ArrayList<>()).add(f);
        }
        byResource.forEach((header, findings) -> {
            out.println(header);
            for (Finding f : findings) {
                String line = f.source() != null && f.source().line() > 0 ? " (line " + f.source().line() + ")" : "";
                String label = f.isExempted() ? "EXEMPT" : f.severity().label().toUpperCase(java.util.Locale.ROOT);
                out.printf("  %-8s %s  %s%s%n", label, f.rule(), f.path(), line);
                out.println("           " + f.message());
                if (r.audit() != null && r.podsAffected(f) > 1) {
                    out.println("           affects " + r.podsAffected(f) + " pods");
                }
                if (f.isExempted()) {
                    out.println("           exempted by " + f.exemption().source() + ": " + f.exemption().reason());
                }
            }
            out.println();
        });
        List<NodeExposure> exposure = r.result().nodeExposure();
        if (!exposure.isEmpty()) {
            out.println("Node exposure (ports opened on nodes):");
            for (NodeExposure e : exposure) {
                out.printf("  %-40s %-12s %-13s on %s%n", e.resource().display()
                        + (e.container() == null ? "" : " [" + e.container() + "]"), e.portDisplay(), via(e), e.scopeDisplay());
            }
            out.println();
        }
        if (!r.read().errors().isEmpty()) {
            out.println(r.audit() != null ? "Could not be read:" : "Input errors:");
            for (InputError e : r.read().errors()) {
                out.println("  " + e.display());
            }
            out.println();
        }
        out.println(summary(r));
    }

    private static String header(Finding f) {
        String where = f.source() == null ? "" : "  (" + f.source().file()
                + (f.source().document() > 0 ? ", document " + f.source().document() : "") + ")";
        return f.resource().display() + where;
    }

    private static String via(NodeExposure e) {
        return switch (e.via()) {
            case HOST_PORT -> "hostPort";
            case HOST_NETWORK -> "hostNetwork";
            case NODE_PORT -> "NodePort";
            case LOAD_BALANCER -> "LoadBalancer";
        };
    }

    static String summary(ScanReport r) {
        StringBuilder sb = new StringBuilder();
        if (r.audit() != null) {
            sb.append(r.audit().partial() ? "PARTIAL audit of " : "Audit of ").append(r.audit().cluster())
                    .append(" (").append(r.audit().scope().describe()).append("): ").append(r.audit().objectCount())
                    .append(" objects read, ").append(r.result().evaluated()).append(" evaluated");
            appendFindings(r, sb);
            return sb.toString();
        }
        int objects = r.read().objects().size();
        sb.append(objects).append(objects == 1 ? " object" : " objects").append(" in ").append(r.read().files())
                .append(r.read().files() == 1 ? " file" : " files").append(": ").append(r.result().evaluated()).append(" evaluated");
        if (!r.result().skipped().isEmpty()) {
            sb.append(", ").append(r.result().skipped().size()).append(" not evaluated (")
                    .append(r.skippedByKind().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                            .collect(Collectors.joining(", "))).append(')');
        }
        appendFindings(r, sb);
        return sb.toString();
    }

    private static void appendFindings(ScanReport r, StringBuilder sb) {
        sb.append(". ");
        int n = r.failing().size();
        if (n == 0) {
            sb.append("No findings");
        } else {
            sb.append(n).append(n == 1 ? " finding: " : " findings: ").append(r.countBySeverity().entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey().label()).collect(Collectors.joining(", ")));
        }
        if (r.exempted() > 0) {
            sb.append(" (").append(r.exempted()).append(" exempted)");
        }
        if (r.threshold() != Severity.INFO) {
            sb.append(" at or above ").append(r.threshold().label());
        }
        if (r.options().profile() != null) {
            sb.append(" (Pod Security profile ").append(r.options().profile().display()).append(')');
        }
        sb.append('.');
        int errors = r.read().errors().size();
        if (errors > 0) {
            sb.append(' ').append(errors).append(errors == 1 ? " input error." : " input errors.");
        }
    }
}
