package io.kubeward.admission;

import io.kubeward.engine.Finding;
import java.io.PrintStream;
import java.util.List;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * Where audit-mode violations are recorded. Never called for {@code dryRun} requests. Called from
 * many threads at once.
 */
@FunctionalInterface
public interface AuditLog {

    void record(AuditRecord record);

    /**
     * One reviewed object with its audit-mode violations.
     *
     * @param policy the audit mode's policy, e.g. {@code restricted:latest}
     */
    record AuditRecord(String uid, String operation, String kind, String namespace, String name, String username,
                       String policy, List<Finding> violations) {
        public AuditRecord {
            violations = List.copyOf(violations);
        }
    }

    /** Records nothing. */
    static AuditLog none() {
        return r -> { };
    }

    /**
     * One JSON object per line, as log collectors read them:
     * {@code {"audit":"kubeward","uid":...,"violations":[{"rule":...,"container":...,"path":...,"message":...}]}}.
     */
    static AuditLog jsonLines(PrintStream out) {
        return r -> {
            StringBuilder sb = new StringBuilder(256).append("{\"audit\":\"kubeward\"");
            field(sb, "uid", r.uid());
            field(sb, "operation", r.operation());
            field(sb, "kind", r.kind());
            field(sb, "namespace", r.namespace());
            field(sb, "name", r.name());
            field(sb, "username", r.username());
            field(sb, "policy", r.policy());
            sb.append(",\"violations\":[");
            for (int i = 0; i < r.violations().size(); i++) {
                Finding f = r.violations().get(i);
                sb.append(i == 0 ? "{" : ",{");
                sb.append("\"rule\":").append(quote(f.rule()));
                field(sb, "severity", f.severity().label());
                field(sb, "container", f.container());
                field(sb, "path", f.path());
                field(sb, "message", f.message());
                sb.append('}');
            }
            sb.append("]}");
            out.println(sb);
        };
    }

    private static void field(StringBuilder sb, String name, String value) {
        sb.append(",\"").append(name).append("\":").append(value == null ? "null" : quote(value));
    }

    /** A JSON string literal: Jackson's escaping, so the hand-written line stays valid JSON. */
    private static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        return sb.append('"').toString();
    }
}
