package io.kubeward.admission;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubeward.engine.PodSecurityProfile;
import io.kubeward.engine.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the admission controller decides, read from a YAML file shaped like Pod Security Admission's
 * {@code PodSecurityConfiguration} with kubeward's additions:
 *
 * <pre>
 * apiVersion: kubeward.io/v1alpha1
 * kind: AdmissionConfiguration
 * defaults:                 # the levels of namespaces without pod-security.kubernetes.io labels
 *   enforce: baseline
 *   enforce-version: latest
 *   audit: restricted
 *   warn: restricted
 * exemptions:
 *   usernames: []
 *   namespaces: [kube-system]
 *   runtimeClasses: []
 * generalRules:             # kubeward's own rules: the lowest severity that counts in each mode (none: off)
 *   enforce: high
 *   warn: medium
 *   audit: low
 * onError: deny             # deny (fail closed) or allow (fail open) when kubeward itself fails
 * maxRequestBytes: 4194304  # larger request bodies are refused
 * </pre>
 *
 * Pod Security Admission's own files are read too: a {@code PodSecurityConfiguration}, or an API
 * server {@code AdmissionConfiguration} whose {@code PodSecurity} plugin holds one.
 *
 * @param defaults        the level and version of each mode for namespaces that do not set them
 * @param generalRules    for each mode, the lowest severity of the general (non {@code pss-}) rules
 *                        that counts; a mode absent from the map ignores the general rules
 * @param exemptions      requests not checked at all
 * @param onError         what an internal error answers
 * @param maxRequestBytes the largest request body the server reads
 */
public record AdmissionConfig(
        Map<Mode, PodSecurityProfile> defaults,
        Map<Mode, Severity> generalRules,
        Exemptions exemptions,
        ErrorPolicy onError,
        int maxRequestBytes) {

    public static final String API_VERSION = "kubeward.io/v1alpha1";
    public static final int DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;

    /**
     * Pod Security Admission's defaults (every mode privileged, latest) and kubeward's general rules
     * denying at high, warning at medium and auditing at low; no exemptions; fail closed.
     */
    public static final AdmissionConfig DEFAULT = new AdmissionConfig(
            Map.of(Mode.ENFORCE, PodSecurityProfile.latest(PodSecurityProfile.Level.PRIVILEGED),
                    Mode.AUDIT, PodSecurityProfile.latest(PodSecurityProfile.Level.PRIVILEGED),
                    Mode.WARN, PodSecurityProfile.latest(PodSecurityProfile.Level.PRIVILEGED)),
            Map.of(Mode.ENFORCE, Severity.HIGH, Mode.WARN, Severity.MEDIUM, Mode.AUDIT, Severity.LOW),
            Exemptions.NONE, ErrorPolicy.DENY, DEFAULT_MAX_REQUEST_BYTES);

    public AdmissionConfig {
        EnumMap<Mode, PodSecurityProfile> d = new EnumMap<>(Mode.class);
        for (Mode m : Mode.values()) {
            PodSecurityProfile p = defaults == null ? null : defaults.get(m);
            d.put(m, p == null ? PodSecurityProfile.latest(PodSecurityProfile.Level.PRIVILEGED) : p);
        }
        defaults = Map.copyOf(d);
        generalRules = generalRules == null ? Map.of() : Map.copyOf(generalRules);
        exemptions = exemptions == null ? Exemptions.NONE : exemptions;
        onError = onError == null ? ErrorPolicy.DENY : onError;
        if (maxRequestBytes <= 0) {
            throw new IllegalArgumentException("maxRequestBytes must be positive");
        }
    }

    public AdmissionConfig withDefault(Mode mode, PodSecurityProfile profile) {
        Map<Mode, PodSecurityProfile> d = new EnumMap<>(defaults);
        d.put(mode, profile);
        return new AdmissionConfig(d, generalRules, exemptions, onError, maxRequestBytes);
    }

    /** The general rules' threshold of a mode; null turns the general rules off in that mode. */
    public AdmissionConfig withGeneralRules(Mode mode, Severity threshold) {
        Map<Mode, Severity> g = new EnumMap<>(Mode.class);
        g.putAll(generalRules);
        if (threshold == null) {
            g.remove(mode);
        } else {
            g.put(mode, threshold);
        }
        return new AdmissionConfig(defaults, g, exemptions, onError, maxRequestBytes);
    }

    public AdmissionConfig withExemptions(Exemptions e) {
        return new AdmissionConfig(defaults, generalRules, e, onError, maxRequestBytes);
    }

    public AdmissionConfig withOnError(ErrorPolicy policy) {
        return new AdmissionConfig(defaults, generalRules, exemptions, policy, maxRequestBytes);
    }

    public AdmissionConfig withMaxRequestBytes(int max) {
        return new AdmissionConfig(defaults, generalRules, exemptions, onError, max);
    }

    /**
     * Reads a configuration file.
     *
     * @throws IllegalArgumentException naming the file and the field at fault
     */
    public static AdmissionConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses a configuration; {@code origin} names it in error messages. */
    public static AdmissionConfig parse(String yaml, String origin) {
        Object root;
        try {
            root = new KubernetesSerialization().unmarshal(yaml, Object.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(origin + ": not valid YAML: " + firstLine(e.getMessage()), e);
        }
        if (root == null) {
            return DEFAULT;
        }
        return new Reader(origin).read(root);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Walks the parsed YAML, naming the field of every problem. */
    private static final class Reader {
        private final String origin;

        Reader(String origin) {
            this.origin = origin;
        }

        AdmissionConfig read(Object root) {
            Map<String, Object> doc = object(root, "");
            String apiVersion = string(doc.get("apiVersion"), "apiVersion");
            String kind = string(doc.get("kind"), "kind");
            if ("AdmissionConfiguration".equals(kind) && apiVersion != null && apiVersion.startsWith("apiserver.config.k8s.io/")) {
                return podSecurityPlugin(doc);
            }
            if ("PodSecurityConfiguration".equals(kind)) {
                return podSecurity(doc, "", Set.of("apiVersion", "kind", "defaults", "exemptions"));
            }
            if (kind != null && !"AdmissionConfiguration".equals(kind)) {
                throw error("kind", "'" + kind + "' is not AdmissionConfiguration (" + API_VERSION + ") or PodSecurityConfiguration");
            }
            if (apiVersion != null && !API_VERSION.equals(apiVersion)) {
                throw error("apiVersion", "'" + apiVersion + "' is not " + API_VERSION);
            }
            return podSecurity(doc, "", Set.of("apiVersion", "kind", "defaults", "exemptions", "generalRules", "onError", "maxRequestBytes"));
        }

        private AdmissionConfig podSecurityPlugin(Map<String, Object> doc) {
            List<Object> plugins = list(doc.get("plugins"), "plugins");
            for (int i = 0; i < plugins.size(); i++) {
                Map<String, Object> plugin = object(plugins.get(i), "plugins[" + i + "]");
                if ("PodSecurity".equals(plugin.get("name"))) {
                    String at = "plugins[" + i + "].configuration";
                    if (plugin.get("configuration") == null) {
                        throw error(at, "is missing (a path to a separate file is not followed; put the PodSecurityConfiguration inline)");
                    }
                    return podSecurity(object(plugin.get("configuration"), at), at + ".",
                            Set.of("apiVersion", "kind", "defaults", "exemptions"));
                }
            }
            throw error("plugins", "has no PodSecurity plugin");
        }

        private AdmissionConfig podSecurity(Map<String, Object> doc, String at, Set<String> known) {
            unknownFields(doc, at, known);
            AdmissionConfig config = DEFAULT;
            if (doc.get("defaults") != null) {
                Map<String, Object> defaults = object(doc.get("defaults"), at + "defaults");
                Set<String> keys = new LinkedHashSet<>();
                for (Mode m : Mode.values()) {
                    keys.add(m.label());
                    keys.add(m.label() + "-version");
                }
                unknownFields(defaults, at + "defaults.", keys);
                for (Mode m : Mode.values()) {
                    PodSecurityProfile current = config.defaults().get(m);
                    PodSecurityProfile.Level level = current.level();
                    int minor = current.minor();
                    String levelText = string(defaults.get(m.label()), at + "defaults." + m.label());
                    if (levelText != null) {
                        try {
                            level = PodSecurityProfile.Level.parse(levelText);
                        } catch (IllegalArgumentException e) {
                            throw error(at + "defaults." + m.label(), e.getMessage());
                        }
                    }
                    String versionText = string(defaults.get(m.label() + "-version"), at + "defaults." + m.label() + "-version");
                    if (versionText != null) {
                        try {
                            minor = PodSecurityProfile.parseVersion(versionText);
                        } catch (IllegalArgumentException e) {
                            throw error(at + "defaults." + m.label() + "-version", e.getMessage());
                        }
                    }
                    config = config.withDefault(m, new PodSecurityProfile(level, minor));
                }
            }
            if (doc.get("exemptions") != null) {
                Map<String, Object> ex = object(doc.get("exemptions"), at + "exemptions");
                unknownFields(ex, at + "exemptions.", Set.of("usernames", "namespaces", "runtimeClasses"));
                config = config.withExemptions(new Exemptions(
                        strings(ex.get("usernames"), at + "exemptions.usernames"),
                        strings(ex.get("namespaces"), at + "exemptions.namespaces"),
                        strings(ex.get("runtimeClasses"), at + "exemptions.runtimeClasses")));
            }
            if (doc.get("generalRules") != null) {
                Map<String, Object> g = object(doc.get("generalRules"), at + "generalRules");
                unknownFields(g, at + "generalRules.", Set.of("enforce", "audit", "warn"));
                for (Mode m : Mode.values()) {
                    if (!g.containsKey(m.label())) {
                        continue;
                    }
                    String text = string(g.get(m.label()), at + "generalRules." + m.label());
                    if (text == null || text.equalsIgnoreCase("none") || text.equalsIgnoreCase("off")) {
                        config = config.withGeneralRules(m, null);
                        continue;
                    }
                    try {
                        config = config.withGeneralRules(m, Severity.parse(text));
                    } catch (IllegalArgumentException e) {
                        throw error(at + "generalRules." + m.label(), e.getMessage() + ", or none");
                    }
                }
            }
            if (doc.get("onError") != null) {
                try {
                    config = config.withOnError(ErrorPolicy.parse(string(doc.get("onError"), at + "onError")));
                } catch (IllegalArgumentException e) {
                    throw error(at + "onError", e.getMessage());
                }
            }
            if (doc.get("maxRequestBytes") != null) {
                Object v = doc.get("maxRequestBytes");
                if (!(v instanceof Number n) || n.longValue() <= 0 || n.longValue() > Integer.MAX_VALUE
                        || n.doubleValue() != n.longValue()) {
                    throw error(at + "maxRequestBytes", "'" + v + "' is not a positive whole number of bytes");
                }
                config = config.withMaxRequestBytes(n.intValue());
            }
            return config;
        }

        private void unknownFields(Map<String, Object> map, String at, Collection<String> known) {
            for (String k : map.keySet()) {
                if (!known.contains(k)) {
                    throw error(at + k, "unknown field; expected one of " + String.join(", ", known));
                }
            }
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> object(Object v, String at) {
            if (v instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
            throw error(at.isEmpty() ? "(document)" : at, "expected a mapping, found " + describe(v));
        }

        @SuppressWarnings("unchecked")
        private List<Object> list(Object v, String at) {
            if (v instanceof List<?> l) {
                return (List<Object>) l;
            }
            throw error(at, "expected a list, found " + describe(v));
        }

        private String string(Object v, String at) {
            if (v == null) {
                return null;
            }
            if (v instanceof String s) {
                return s;
            }
            throw error(at, "expected a string, found " + describe(v));
        }

        private Set<String> strings(Object v, String at) {
            if (v == null) {
                return Set.of();
            }
            List<Object> l = list(v, at);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                String s = string(l.get(i), at + "[" + i + "]");
                if (s == null || s.isBlank()) {
                    throw error(at + "[" + i + "]", "is empty");
                }
                out.add(s);
            }
            return new LinkedHashSet<>(out);
        }

        private static String describe(Object v) {
            if (v == null) {
                return "nothing";
            }
            if (v instanceof Map) {
                return "a mapping";
            }
            if (v instanceof List) {
                return "a list";
            }
            return "'" + v + "'";
        }

        private IllegalArgumentException error(String field, String message) {
            return new IllegalArgumentException(origin + ": " + field + ": " + message);
        }
    }
}
