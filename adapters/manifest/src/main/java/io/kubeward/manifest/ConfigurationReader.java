package io.kubeward.manifest;

import io.kubeward.engine.PodSecurityProfile;
import io.kubeward.engine.Severity;
import io.kubeward.engine.config.Configuration;
import io.kubeward.engine.config.RuleException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a kubeward configuration file ({@code kind: Configuration}, schema in
 * {@code docs/config.schema.json}). Every problem is reported with the file, line and field; a file
 * with any problem yields no configuration, so nothing is half-applied.
 */
public final class ConfigurationReader {

    /** The configuration, or the problems that stopped it. */
    public record Result(Configuration configuration, List<InputError> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private static final Set<String> TOP = Set.of("apiVersion", "kind", "profile", "rules", "categories", "exceptions");
    private static final Set<String> RULE_KEYS = Set.of("enabled", "severity");
    private static final Set<String> EXCEPTION_KEYS = Set.of("name", "rules", "namespaces", "kinds", "names", "labels",
            "containers", "images", "reason", "expires");

    private final String file;
    private final List<InputError> errors = new ArrayList<>();
    private Map<String, Integer> lines = Map.of();

    private ConfigurationReader(String file) {
        this.file = file;
    }

    public static Result read(Path path) {
        try {
            return read(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(null, List.of(new InputError(path.toString(), 0, 0, null, "cannot read the configuration: " + e.getMessage())));
        }
    }

    public static Result read(String name, String text) {
        return new ConfigurationReader(name).parse(text);
    }

    private Result parse(String text) {
        Optional<Node> root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(file).setMaxAliasesForCollections(50).build()).composeString(text);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            return fail(line, null, "malformed YAML: " + (e.getProblem() == null ? e.getMessage() : e.getProblem()));
        } catch (YamlEngineException e) {
            return fail(0, null, "malformed YAML: " + e.getMessage());
        }
        if (root.isEmpty()) {
            return new Result(Configuration.EMPTY, List.of());
        }
        YamlTree tree = new YamlTree(1, 1_000_000, 100);
        Object value;
        try {
            value = tree.convert(root.get());
        } catch (RuntimeException e) {
            return fail(0, null, e.getMessage());
        }
        lines = tree.lines();
        if (!(value instanceof Map<?, ?> top)) {
            return fail(1, null, "the configuration must be a mapping");
        }
        unknownKeys(top, TOP, "");
        Object kind = top.get("kind");
        if (kind != null && !"Configuration".equals(kind)) {
            error("kind", "kind must be Configuration, found " + kind);
        }
        PodSecurityProfile profile = profile(top.get("profile"));
        Map<String, Boolean> rules = new LinkedHashMap<>();
        Map<String, Severity> severities = new LinkedHashMap<>();
        for (Map.Entry<String, Map<?, ?>> e : mapOfMaps(top.get("rules"), "rules").entrySet()) {
            String at = "rules." + e.getKey();
            unknownKeys(e.getValue(), RULE_KEYS, at);
            Object enabled = e.getValue().get("enabled");
            if (enabled != null) {
                if (enabled instanceof Boolean b) {
                    rules.put(e.getKey(), b);
                } else {
                    error(at + ".enabled", "must be true or false");
                }
            }
            Object severity = e.getValue().get("severity");
            if (severity != null) {
                try {
                    severities.put(e.getKey(), Severity.parse(severity.toString()));
                } catch (IllegalArgumentException x) {
                    error(at + ".severity", x.getMessage());
                }
            }
        }
        Map<String, Boolean> categories = new LinkedHashMap<>();
        for (Map.Entry<String, Map<?, ?>> e : mapOfMaps(top.get("categories"), "categories").entrySet()) {
            String at = "categories." + e.getKey();
            unknownKeys(e.getValue(), Set.of("enabled"), at);
            if (e.getValue().get("enabled") instanceof Boolean b) {
                categories.put(e.getKey(), b);
            } else {
                error(at + ".enabled", "must be true or false");
            }
        }
        List<RuleException> exceptions = new ArrayList<>();
        Object ex = top.get("exceptions");
        if (ex != null && !(ex instanceof List)) {
            error("exceptions", "must be a list");
        } else if (ex != null) {
            List<?> list = (List<?>) ex;
            for (int i = 0; i < list.size(); i++) {
                RuleException e = exception(list.get(i), "exceptions[" + i + "]");
                if (e != null) {
                    exceptions.add(e);
                }
            }
        }
        if (!errors.isEmpty()) {
            return new Result(null, List.copyOf(errors));
        }
        return new Result(new Configuration(rules, categories, severities, profile, exceptions), List.of());
    }

    private PodSecurityProfile profile(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> m)) {
            error("profile", "must be a mapping with level and version");
            return null;
        }
        unknownKeys(m, Set.of("level", "version"), "profile");
        Object level = m.get("level");
        Object version = m.get("version");
        try {
            return PodSecurityProfile.of(level == null ? "" : level.toString(), version == null ? "latest" : version.toString());
        } catch (IllegalArgumentException e) {
            error(level == null || e.getMessage().contains("level") ? "profile.level" : "profile.version", e.getMessage());
            return null;
        }
    }

    private RuleException exception(Object value, String at) {
        if (!(value instanceof Map<?, ?> m)) {
            error(at, "must be a mapping");
            return null;
        }
        unknownKeys(m, EXCEPTION_KEYS, at);
        String name = m.get("name") == null ? at : m.get("name").toString();
        LocalDate expires = null;
        Object exp = m.get("expires");
        if (exp != null) {
            try {
                expires = LocalDate.parse(exp.toString());
            } catch (DateTimeParseException e) {
                error(at + ".expires", "must be a date like 2027-01-31, found " + exp);
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        Object l = m.get("labels");
        if (l instanceof Map<?, ?> lm) {
            lm.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
        } else if (l != null) {
            error(at + ".labels", "must be a mapping of label keys to values");
        }
        try {
            return new RuleException(name, strings(m.get("rules"), at + ".rules"), strings(m.get("namespaces"), at + ".namespaces"),
                    strings(m.get("kinds"), at + ".kinds"), strings(m.get("names"), at + ".names"), labels,
                    strings(m.get("containers"), at + ".containers"), strings(m.get("images"), at + ".images"),
                    m.get("reason") == null ? null : m.get("reason").toString(), expires);
        } catch (IllegalArgumentException e) {
            error(at + (e.getMessage().contains("reason") ? ".reason" : ".rules"), e.getMessage());
            return null;
        }
    }

    private List<String> strings(Object value, String at) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (Object o : list) {
                out.add(String.valueOf(o));
            }
            return out;
        }
        error(at, "must be a string or a list of strings");
        return List.of();
    }

    private Map<String, Map<?, ?>> mapOfMaps(Object value, String at) {
        Map<String, Map<?, ?>> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        if (!(value instanceof Map<?, ?> m)) {
            error(at, "must be a mapping");
            return out;
        }
        m.forEach((k, v) -> {
            if (v instanceof Map<?, ?> vm) {
                out.put(String.valueOf(k), vm);
            } else {
                error(at + "." + k, "must be a mapping (for example {enabled: false} or {severity: high})");
            }
        });
        return out;
    }

    private void unknownKeys(Map<?, ?> m, Set<String> known, String at) {
        for (Object k : m.keySet()) {
            if (!known.contains(String.valueOf(k))) {
                String field = at.isEmpty() ? String.valueOf(k) : at + "." + k;
                error(field, "unknown field; expected one of " + new java.util.TreeSet<>(known));
            }
        }
    }

    private void error(String field, String message) {
        errors.add(new InputError(file, 0, lineOf(field), field, message));
    }

    private int lineOf(String field) {
        String p = field;
        while (p != null && !p.isEmpty()) {
            Integer l = lines.get(p);
            if (l != null) {
                return l;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut <= 0 ? null : p.substring(0, cut);
        }
        return 0;
    }

    private Result fail(int line, String field, String message) {
        return new Result(null, List.of(new InputError(file, 0, line, field, message)));
    }
}
