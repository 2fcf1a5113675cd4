package io.kubeward.cli;

import io.kubeward.engine.Finding;
import io.kubeward.engine.NodeExposure;
import io.kubeward.engine.ResourceRef;
import io.kubeward.engine.Severity;
import io.kubeward.engine.SkippedObject;
import io.kubeward.engine.SourceLocation;
import io.kubeward.manifest.InputError;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;

/**
 * The JSON report of {@code scan}. Its shape is documented in the README; fields are only ever
 * added, never renamed, within a major version. {@link #write} streams it (a report of a large
 * scan runs to tens of megabytes); {@link #toMap} builds the same document as maps, for YAML.
 */
final class JsonReport {

    static final int SCHEMA_VERSION = 1;

    private JsonReport() {
    }

    /**
     * Writes the report as {@code Json.write(toMap(r))} would, byte for byte, without building it in
     * memory first; the writer is flushed, not closed.
     */
    static void write(ScanReport r, Writer out) {
        try (JsonGenerator g = Json.generator(out)) {
            write(r, g);
        }
    }

    /** As {@link #write(ScanReport, Writer)}, in UTF-8 bytes; the stream is flushed, not closed. */
    static void write(ScanReport r, java.io.OutputStream out) {
        try (JsonGenerator g = Json.generator(out)) {
            write(r, g);
        }
    }

    private static void write(ScanReport r, JsonGenerator g) {
        g.writeStartObject();
        g.writeNumberProperty("schemaVersion", SCHEMA_VERSION);
        g.writeName("summary");
        writeSummary(g, r);
        g.writeArrayPropertyStart("findings");
        for (Finding f : r.findings()) {
            writeFinding(g, f, r.audit() == null ? null : r.podsAffected(f));
        }
        g.writeEndArray();
        g.writeArrayPropertyStart("nodeExposure");
        for (NodeExposure e : r.result().nodeExposure()) {
            writeExposure(g, e);
        }
        g.writeEndArray();
        g.writeArrayPropertyStart("notEvaluated");
        for (SkippedObject s : r.result().skipped()) {
            g.writeStartObject();
            g.writeName("resource");
            writeResource(g, s.resource());
            g.writeName("source");
            writeSource(g, s.source());
            g.writeStringProperty("reason", s.reason());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayPropertyStart("errors");
        for (InputError e : r.read().errors()) {
            g.writeStartObject();
            g.writeStringProperty("file", e.file());
            g.writeNumberProperty("document", e.document());
            g.writeNumberProperty("line", e.line());
            g.writeStringProperty("field", e.field());
            g.writeStringProperty("message", e.message());
            g.writeEndObject();
        }
        g.writeEndArray();
        if (r.audit() != null) {
            g.writeObjectPropertyStart("audit");
            g.writeStringProperty("cluster", r.audit().cluster());
            g.writeStringProperty("scope", r.audit().scope().describe());
            g.writeStringProperty("time", r.audit().time().toString());
            g.writeBooleanProperty("partial", r.audit().partial());
            g.writeArrayPropertyStart("faults");
            for (var fault : r.audit().faults()) {
                g.writeString(fault.message());
            }
            g.writeEndArray();
            g.writeNumberProperty("podsFolded", r.audit().podsFolded());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeSummary(JsonGenerator g, ScanReport r) {
        g.writeStartObject();
        g.writeNumberProperty("files", r.read().files());
        g.writeNumberProperty("objects", r.read().objects().size());
        g.writeNumberProperty("evaluated", r.result().evaluated());
        g.writeNumberProperty("notEvaluated", r.result().skipped().size());
        g.writeNumberProperty("inputErrors", r.read().errors().size());
        g.writeStringProperty("minSeverity", r.threshold().label());
        g.writeStringProperty("profile", r.options().profile() == null ? null : r.options().profile().display());
        g.writeNumberProperty("findings", r.failing().size());
        g.writeNumberProperty("exempted", r.exempted());
        g.writeObjectPropertyStart("bySeverity");
        for (Severity sev : BY_SEVERITY) {
            g.writeNumberProperty(sev.label(), r.countBySeverity().getOrDefault(sev, 0));
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** @param podsAffected written when not null (audits only) */
    private static void writeFinding(JsonGenerator g, Finding f, Integer podsAffected) {
        g.writeStartObject();
        g.writeStringProperty("rule", f.rule());
        g.writeStringProperty("severity", f.severity().label());
        g.writeStringProperty("title", f.title());
        g.writeStringProperty("message", f.message());
        g.writeStringProperty("path", f.path());
        g.writeStringProperty("container", f.container());
        g.writeName("resource");
        writeResource(g, f.resource());
        g.writeName("source");
        writeSource(g, f.source());
        if (f.isExempted()) {
            g.writeObjectPropertyStart("exemption");
            g.writeStringProperty("source", f.exemption().source());
            g.writeStringProperty("reason", f.exemption().reason());
            g.writeEndObject();
        } else {
            g.writeNullProperty("exemption");
        }
        if (podsAffected != null) {
            g.writeNumberProperty("podsAffected", podsAffected);
        }
        g.writeEndObject();
    }

    private static void writeResource(JsonGenerator g, ResourceRef ref) {
        g.writeStartObject();
        g.writeStringProperty("apiVersion", ref.apiVersion());
        g.writeStringProperty("kind", ref.kind());
        g.writeStringProperty("namespace", ref.namespace());
        g.writeStringProperty("name", ref.name());
        g.writeEndObject();
    }

    private static void writeSource(JsonGenerator g, SourceLocation s) {
        if (s == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringProperty("file", s.file());
        g.writeNumberProperty("document", s.document());
        g.writeNumberProperty("line", s.line());
        g.writeEndObject();
    }

    private static void writeExposure(JsonGenerator g, NodeExposure e) {
        g.writeStartObject();
        g.writeName("resource");
        writeResource(g, e.resource());
        g.writeStringProperty("container", e.container());
        g.writeNumberProperty("port", e.port());
        g.writeStringProperty("protocol", e.protocol());
        g.writeStringProperty("hostIP", e.hostIP());
        g.writeStringProperty("via", e.via().name());
        g.writeStringProperty("scope", e.scope().name());
        g.writeArrayPropertyStart("nodes");
        for (String n : e.nodes()) {
            g.writeString(n);
        }
        g.writeEndArray();
        g.writeStringProperty("path", e.path());
        g.writeEndObject();
    }

    private static final Severity[] BY_SEVERITY = {Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO};

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
        for (Severity sev : BY_SEVERITY) {
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
