package io.kubeward.cli;

import java.io.PrintWriter;
import java.util.Locale;
import io.kubeward.cluster.AuditResult;
import io.kubeward.cluster.AuditScope;
import io.kubeward.cluster.PolicyReportWriter;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The formats {@code scan} writes. */
enum ReportFormat {
    TEXT {
        @Override
        void write(ScanReport report, PrintWriter out) {
            TextReport.write(report, out);
        }
    },
    JSON {
        @Override
        void write(ScanReport report, PrintWriter out) {
            JsonReport.write(report, out);
            out.println();
        }

        @Override
        void write(ScanReport report, java.io.OutputStream out) throws java.io.IOException {
            JsonReport.write(report, out);
            out.write(System.lineSeparator().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
        }
    },
    YAML {
        @Override
        void write(ScanReport report, PrintWriter out) {
            out.print(YamlMapper.INSTANCE.writeValueAsString(JsonReport.toMap(report)));
        }
    },
    SARIF {
        @Override
        void write(ScanReport report, PrintWriter out) {
            out.println(Json.write(SarifReport.toMap(report)));
        }
    },
    JUNIT {
        @Override
        void write(ScanReport report, PrintWriter out) {
            out.print(JunitReport.write(report));
        }
    },
    POLICYREPORT {
        @Override
        void write(ScanReport report, PrintWriter out) {
            AuditResult audit = report.audit() != null ? report.audit() : asAudit(report);
            java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
            try {
                new PolicyReportWriter(report.catalog()).write(audit, buf);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            out.print(buf.toString(java.nio.charset.StandardCharsets.UTF_8));
        }
    };

    /** A scan of manifests as the results of an audit, so it can be written as PolicyReports too. */
    private static AuditResult asAudit(ScanReport r) {
        java.util.Set<String> namespaces = new java.util.TreeSet<>();
        r.read().objects().forEach(o -> {
            if (o.ref().namespace() != null) {
                namespaces.add(o.ref().namespace());
            }
        });
        return new AuditResult("manifests", AuditScope.allNamespaces(), java.time.Instant.now(), r.result(), java.util.List.of(),
                java.util.Map.of(), java.util.Map.of(), 0, namespaces, java.util.Map.of());
    }

    /** Built on first use only: building it costs a tenth of a second, at startup, of every command that parses a format. */
    private static final class YamlMapper {
        static final YAMLMapper INSTANCE = YAMLMapper.builder().build();
    }

    abstract void write(ScanReport report, PrintWriter out);

    /** Writes the report to a file's stream in UTF-8; flushed, not closed. */
    void write(ScanReport report, java.io.OutputStream out) throws java.io.IOException {
        PrintWriter w = new PrintWriter(new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8));
        write(report, w);
        w.flush();
        if (w.checkError()) {
            throw new java.io.IOException("the report could not be written in full");
        }
    }

    static final String NAMES = "text, json, yaml, sarif, junit or policyreport";

    static ReportFormat parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown output format '" + text + "'; expected " + NAMES);
        }
    }
}
