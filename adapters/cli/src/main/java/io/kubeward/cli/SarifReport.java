package io.kubeward.cli;

import io.kubeward.engine.Finding;
import io.kubeward.engine.RuleDescriptor;
import io.kubeward.engine.Severity;
import io.kubeward.manifest.InputError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SARIF 2.1.0, as GitHub code scanning reads it: one run, the rules that reported with their
 * metadata, and one result per finding located at the file and line of the offending field.
 * Exempted findings carry a suppression with the exemption's reason.
 */
final class SarifReport {

    private SarifReport() {
    }

    static Map<String, Object> toMap(ScanReport r) {
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Finding f : r.findings()) {
            if (!ruleIndex.containsKey(f.rule())) {
                ruleIndex.put(f.rule(), rules.size());
                rules.add(rule(f, r.catalog().find(f.rule()).orElse(null)));
            }
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (Finding f : r.findings()) {
            results.add(result(f, ruleIndex.get(f.rule())));
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "kubeward");
        driver.put("informationUri", "https://github.com/kubeward/kubeward");
        driver.put("semanticVersion", version());
        driver.put("rules", rules);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", Map.of("driver", driver));
        Map<String, Object> invocation = new LinkedHashMap<>();
        invocation.put("executionSuccessful", !r.read().hasErrors());
        List<Map<String, Object>> notes = new ArrayList<>();
        for (InputError e : r.read().errors()) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("level", "error");
            n.put("message", Map.of("text", e.display()));
            if (e.file() != null) {
                n.put("locations", List.of(location(e.file(), e.line(), null)));
            }
            notes.add(n);
        }
        invocation.put("toolExecutionNotifications", notes);
        run.put("invocations", List.of(invocation));
        run.put("results", results);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        root.put("version", "2.1.0");
        root.put("runs", List.of(run));
        return root;
    }

    private static String version() {
        String v = SarifReport.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v.replace("-SNAPSHOT", "");
    }

    private static Map<String, Object> rule(Finding f, RuleDescriptor d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.rule());
        m.put("name", camel(f.rule()));
        m.put("shortDescription", Map.of("text", d == null ? f.title() : d.title()));
        if (d != null) {
            m.put("fullDescription", Map.of("text", d.rationale().isBlank() ? d.title() : d.rationale()));
            m.put("help", ordered("text", d.remediation(), "markdown", "**Remediation:** " + d.remediation()));
            if (!d.docs().isBlank()) {
                m.put("helpUri", d.docs());
            }
        }
        Severity s = d == null ? f.severity() : d.severity();
        m.put("defaultConfiguration", Map.of("level", level(s)));
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("tags", List.of("security", "kubernetes", d == null ? "kubeward" : d.category()));
        props.put("security-severity", securitySeverity(s));
        m.put("properties", props);
        return m;
    }

    private static Map<String, Object> result(Finding f, int index) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ruleId", f.rule());
        m.put("ruleIndex", index);
        m.put("level", level(f.severity()));
        m.put("message", Map.of("text", f.resource().display() + ": " + f.message() + " (" + f.path() + ")"));
        String file = f.source() == null ? null : f.source().file();
        int line = f.source() == null ? 0 : f.source().line();
        m.put("locations", List.of(location(file, line, f)));
        m.put("partialFingerprints", Map.of("kubeward/v1", fingerprint(f)));
        if (f.isExempted()) {
            m.put("suppressions", List.of(ordered("kind", "external", "status", "accepted",
                    "justification", f.exemption().source() + ": " + f.exemption().reason())));
        }
        m.put("properties", ordered("severity", f.severity().label(), "path", f.path()));
        return m;
    }

    /** A map with its keys in the order given: the report reads the same from run to run. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> location(String file, int line, Finding f) {
        Map<String, Object> loc = new LinkedHashMap<>();
        if (file != null) {
            Map<String, Object> physical = new LinkedHashMap<>();
            physical.put("artifactLocation", Map.of("uri", uri(file)));
            if (line > 0) {
                physical.put("region", Map.of("startLine", line));
            }
            loc.put("physicalLocation", physical);
        }
        if (f != null) {
            loc.put("logicalLocations", List.of(ordered("fullyQualifiedName", f.resource().display() + "/" + f.path(),
                    "kind", "object")));
        }
        return loc;
    }

    /** A relative URI with forward slashes, as code scanning expects for files of the repository. */
    static String uri(String file) {
        String u = file.replace('\\', '/');
        while (u.startsWith("./")) {
            u = u.substring(2);
        }
        return u.replace(" ", "%20");
    }

    private static String level(Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW, INFO -> "note";
        };
    }

    private static String securitySeverity(Severity s) {
        return switch (s) {
            case CRITICAL -> "9.5";
            case HIGH -> "8.0";
            case MEDIUM -> "5.5";
            case LOW -> "3.0";
            case INFO -> "1.0";
        };
    }

    private static String camel(String id) {
        StringBuilder sb = new StringBuilder();
        for (String part : id.split("-")) {
            if (!part.isEmpty()) {
                sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return sb.toString();
    }

    private static String fingerprint(Finding f) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            String key = f.rule() + "|" + f.resource().display() + "|" + f.container() + "|" + f.path();
            return HexFormat.of().formatHex(md.digest(key.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
