package io.kubeward.cli;

import io.kubeward.engine.InputObject;
import io.kubeward.engine.SourceLocation;
import io.kubeward.engine.psp.AdmissionDecision;
import io.kubeward.engine.psp.AdmissionPolicies;
import io.kubeward.engine.psp.AppliedDefault;
import io.kubeward.engine.psp.PodSecurityPolicyView;
import io.kubeward.engine.psp.PolicyRefusal;
import io.kubeward.engine.psp.RequestUser;
import io.kubeward.manifest.InputError;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code psp check} prints: per pod, admitted or denied, by which policy, the defaults
 * applied (and in JSON the patch), each available policy's reasons; then a summary.
 */
final class PspReport {

    static final int SCHEMA_VERSION = 1;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    record Entry(InputObject pod, AdmissionDecision decision) {
    }

    private final RequestUser user;
    private final AdmissionPolicies policies;
    private final List<Entry> entries;
    private final List<InputError> errors;
    private final int ignored;

    PspReport(RequestUser user, AdmissionPolicies policies, List<Entry> entries, List<InputError> errors, int ignored) {
        this.user = user;
        this.policies = policies;
        this.entries = List.copyOf(entries);
        this.errors = List.copyOf(errors);
        this.ignored = ignored;
    }

    long denied() {
        return entries.stream().filter(e -> !e.decision().allowed()).count();
    }

    void writeText(PrintWriter out) {
        out.println("Pods created by " + user.display());
        for (String w : policies.rbacWarnings()) {
            out.println("warning: " + w);
        }
        out.println();
        for (Entry e : entries) {
            AdmissionDecision d = e.decision();
            AdmissionDecision.PolicyOutcome winner = d.outcomes().stream().filter(o -> o.policy().equals(d.policy())).findFirst().orElse(null);
            SourceLocation where = e.pod().locate(null);
            out.println((d.allowed() ? "ALLOWED  " : "DENIED   ") + d.resource().display()
                    + (where == null ? "" : "  (" + where.file() + (where.line() > 0 ? ":" + where.line() : "") + ")"));
            out.println("  namespace " + d.namespace() + ", service account " + d.serviceAccount());
            if (d.allowed()) {
                out.println("  admitted by PodSecurityPolicy " + d.policy()
                        + (d.defaults().isEmpty() ? ", unchanged" : ", which sets:"));
                for (AppliedDefault a : d.defaults()) {
                    out.println("    " + a.display());
                }
            }
            if (d.outcomes().isEmpty()) {
                d.notes().forEach(n -> out.println("  " + n));
            }
            for (AdmissionDecision.PolicyOutcome o : d.outcomes()) {
                if (o.admits()) {
                    if (winner != null && o != winner) {
                        out.println("  " + o.policy() + " admits it too, " + (o.changesPod() && !winner.changesPod()
                                ? "but only by changing it, and a policy that admits it unchanged goes first"
                                : "but comes after " + winner.policy() + " by name"));
                    }
                    continue;
                }
                out.println("  " + o.policy() + " refuses it (available to " + o.grantedBy() + "):");
                for (PolicyRefusal r : o.refusals()) {
                    String line = r.location() != null && r.location().line() > 0 ? " (line " + r.location().line() + ")" : "";
                    out.println("    " + r.rule() + "  " + r.path() + line);
                    out.println("      " + r.message());
                }
            }
            out.println();
        }
        if (!errors.isEmpty()) {
            out.println("Input errors:");
            errors.forEach(x -> out.println("  " + x.display()));
            out.println();
        }
        long allowed = entries.size() - denied();
        out.println(entries.size() + (entries.size() == 1 ? " pod" : " pods") + ": " + allowed + " allowed, " + denied() + " denied"
                + " (policies: " + String.join(", ", policies.policies().stream().map(PodSecurityPolicyView::getName).toList()) + ")."
                + (ignored > 0 ? " " + ignored + (ignored == 1 ? " object" : " objects") + " that run no pods ignored." : "")
                + (errors.isEmpty() ? "" : " " + errors.size() + (errors.size() == 1 ? " input error." : " input errors.")));
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", SCHEMA_VERSION);
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("name", user.name());
        u.put("groups", user.groups());
        m.put("user", u);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("pods", entries.size());
        s.put("allowed", entries.size() - denied());
        s.put("denied", denied());
        s.put("ignored", ignored);
        s.put("inputErrors", errors.size());
        s.put("policies", policies.policies().stream().map(PodSecurityPolicyView::getName).toList());
        m.put("summary", s);
        m.put("decisions", entries.stream().map(PspReport::decision).toList());
        m.put("warnings", policies.rbacWarnings());
        m.put("errors", errors.stream().map(e -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("file", e.file());
            x.put("document", e.document());
            x.put("line", e.line());
            x.put("field", e.field());
            x.put("message", e.message());
            return x;
        }).toList());
        return m;
    }

    private static Map<String, Object> decision(Entry e) {
        AdmissionDecision d = e.decision();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resource", JsonReport.resource(d.resource()));
        m.put("source", JsonReport.source(e.pod().locate(null)));
        m.put("namespace", d.namespace());
        m.put("serviceAccount", d.serviceAccount());
        m.put("allowed", d.allowed());
        m.put("policy", d.policy());
        m.put("defaults", d.defaults().stream().map(PspReport::applied).toList());
        m.put("patch", MAPPER.readTree(d.patch()));
        m.put("policies", d.outcomes().stream().map(o -> {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("policy", o.policy());
            p.put("grantedBy", o.grantedBy());
            p.put("admits", o.admits());
            p.put("changesPod", o.changesPod());
            p.put("defaults", o.defaults().stream().map(PspReport::applied).toList());
            p.put("refusals", o.refusals().stream().map(PspReport::refusal).toList());
            return p;
        }).toList());
        m.put("notes", d.notes());
        return m;
    }

    private static Map<String, Object> applied(AppliedDefault a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", a.path());
        m.put("value", a.value());
        m.put("because", a.because());
        return m;
    }

    private static Map<String, Object> refusal(PolicyRefusal r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", r.rule());
        m.put("path", r.path());
        m.put("message", r.message());
        m.put("source", JsonReport.source(r.location()));
        return m;
    }
}
