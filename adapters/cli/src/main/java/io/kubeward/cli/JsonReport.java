package io.kubeward.cli;

import io.kubeward.engine.Finding;
import io.kubeward.engine.NodeExposure;
import io.kubeward.engine.ResourceRef;
import io.kubeward.engine.Severity;
import io.kubeward.engine.SkippedObject;
import io.kubeward.engine.SourceLocation;
import io.kubeward.manifest.InputError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON report of {@code scan}. Its shape is documented in the README; fields are only ever
 * added, never renamed, within a major version.
 */
final class JsonReport {

    static final int SCHEMA_VERSION = 1;

    private JsonReport() {
    }

    static Map<String, Object> toMap(ScanReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("summary", summary(r));
        m.put("findings", r.findings().stream().map(f -> {
            Map<String, Object> fm = finding(f);
            if (r.audit() != null) {
                fm.put("podsAffected", r.podsAffected(f));
            }
            return fm;
        }).toList());
        m.put("nodeExposure", r.result().nodeExposure().stream().map(JsonReport::exposure).toList());
        m.put("notEvaluated", r.result().skipped().stream().map(JsonReport::skipped).toList());
        m.put("errors", r.read().errors().stream().map(JsonReport::error).toList());
        if (r.audit() != null) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("cluster", r.audit().cluster());
            a.put("scope", r.audit().scope().describe());
            a.put("time", r.audit().time().toString());
            a.put("partial", r.audit().partial());
            a.put("faults", r.audit().faults().stream().map(f -> f.message()).toList());
            a.put("podsFolded", r.audit().podsFolded());
            m.put("audit", a);
        }
        return m;
    }

    private static Map<String, Object> summary(ScanReport r) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("files", r.read().files());
        s.put("objects", r.read().objects().size());
        s.put("evaluated", r.result().evaluated());
        s.put("notEvaluated", r.result().skipped().size());
        s.put("inputErrors", r.read().errors().size());
        s.put("minSeverity", r.threshold().label());
        s.put("profile", r.options().profile() == null ? null : r.options().profile().display());
        s.put("findings", r.failing().size());
        s.put("exempted", r.exempted());
        Map<String, Integer> bySeverity = new LinkedHashMap<>();
        for (Severity sev : new Severity[] {Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO}) {
            bySeverity.put(sev.label(), r.countBySeverity().getOrDefault(sev, 0));
        }
        s.put("bySeverity", bySeverity);
        return s;
    }

    static Map<String, Object> finding(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", f.rule());
        m.put("severity", f.severity().label());
        m.put("title", f.title());
        m.put("message", f.message());
        m.put("path", f.path());
        m.put("container", f.container());
        m.put("resource", resource(f.resource()));
        m.put("source", source(f.source()));
        if (f.isExempted()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("source", f.exemption().source());
            e.put("reason", f.exemption().reason());
            m.put("exemption", e);
        } else {
            m.put("exemption", null);
        }
        return m;
    }

    static Map<String, Object> resource(ResourceRef ref) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("apiVersion", ref.apiVersion());
        m.put("kind", ref.kind());
        m.put("namespace", ref.namespace());
        m.put("name", ref.name());
        return m;
    }

    static Map<String, Object> source(SourceLocation s) {
        if (s == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", s.file());
        m.put("document", s.document());
        m.put("line", s.line());
        return m;
    }

    private static Map<String, Object> exposure(NodeExposure e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resource", resource(e.resource()));
        m.put("container", e.container());
        m.put("port", e.port());
        m.put("protocol", e.protocol());
        m.put("hostIP", e.hostIP());
        m.put("via", e.via().name());
        m.put("scope", e.scope().name());
        m.put("nodes", e.nodes());
        m.put("path", e.path());
        return m;
    }

    private static Map<String, Object> skipped(SkippedObject s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resource", resource(s.resource()));
        m.put("source", source(s.source()));
        m.put("reason", s.reason());
        return m;
    }

    private static Map<String, Object> error(InputError e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", e.file());
        m.put("document", e.document());
        m.put("line", e.line());
        m.put("field", e.field());
        m.put("message", e.message());
        return m;
    }

}
