package io.kubeward.engine.network;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A compiled Kubernetes label selector: {@code matchLabels} and {@code matchExpressions} (In,
 * NotIn, Exists, DoesNotExist), all ANDed. An empty selector matches everything.
 */
final class Selector {

    static final Selector ALL = new Selector(Map.of(), List.of());

    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    enum Operator {
        IN("In"), NOT_IN("NotIn"), EXISTS("Exists"), DOES_NOT_EXIST("DoesNotExist");

        final String text;

        Operator(String text) {
            this.text = text;
        }
    }

    record Requirement(String key, Operator operator, List<String> values) {
        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (operator) {
                case IN -> v != null && values.contains(v);
                case NOT_IN -> v == null || !values.contains(v);
                case EXISTS -> v != null;
                case DOES_NOT_EXIST -> v == null;
            };
        }
    }

    private final Map<String, String> matchLabels;
    private final List<Requirement> requirements;
    private final String canonical;

    private Selector(Map<String, String> matchLabels, List<Requirement> requirements) {
        this.matchLabels = Map.copyOf(matchLabels);
        this.requirements = List.copyOf(requirements);
        List<String> parts = new ArrayList<>();
        new TreeMap<>(matchLabels).forEach((k, v) -> parts.add(k + "=" + v));
        requirements.stream()
                .map(r -> r.key + " " + r.operator.text + (r.values.isEmpty() ? "" : " " + new TreeSet<>(r.values)))
                .sorted()
                .forEach(parts::add);
        // label keys and values hold no spaces or commas, so this text is unambiguous
        this.canonical = String.join(", ", parts);
    }

    /**
     * Compiles a selector, reporting each invalid key, value or operator to {@code problems} under
     * {@code field}. A null selector is empty (matches all), as the API treats a missing podSelector.
     * An invalid requirement still compiles (to what it says), so a lenient caller can go on.
     */
    static Selector compile(LabelSelector selector, String field, PolicyProblems problems) {
        if (selector == null) {
            return ALL;
        }
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        if (selector.getMatchLabels() != null) {
            // a key written without a value reads as null; the API takes it as the empty value
            selector.getMatchLabels().forEach((k, v) -> labels.put(k == null ? "" : k, v == null ? "" : v));
        }
        labels.forEach((k, v) -> {
            checkKey(k, field + ".matchLabels", problems);
            checkValue(v, field + ".matchLabels." + k, problems);
        });
        List<Requirement> reqs = new ArrayList<>();
        List<LabelSelectorRequirement> exprs = selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
        for (int i = 0; i < exprs.size(); i++) {
            LabelSelectorRequirement e = exprs.get(i);
            String f = field + ".matchExpressions[" + i + "]";
            checkKey(e.getKey(), f + ".key", problems);
            List<String> values = e.getValues() == null ? List.of() : e.getValues();
            Operator op;
            String opText = e.getOperator();
            if ("In".equals(opText) || "NotIn".equals(opText)) {
                op = "In".equals(opText) ? Operator.IN : Operator.NOT_IN;
                if (values.isEmpty()) {
                    problems.add(f + ".values", "operator " + opText + " needs at least one value");
                }
            } else if ("Exists".equals(opText) || "DoesNotExist".equals(opText)) {
                op = "Exists".equals(opText) ? Operator.EXISTS : Operator.DOES_NOT_EXIST;
                if (!values.isEmpty()) {
                    problems.add(f + ".values", "operator " + opText + " takes no values");
                }
            } else {
                problems.add(f + ".operator", "operator must be In, NotIn, Exists or DoesNotExist, found "
                        + (opText == null ? "none" : "\"" + opText + "\""));
                continue;
            }
            for (int j = 0; j < values.size(); j++) {
                checkValue(values.get(j), f + ".values[" + j + "]", problems);
            }
            reqs.add(new Requirement(e.getKey() == null ? "" : e.getKey(), op, List.copyOf(values)));
        }
        return labels.isEmpty() && reqs.isEmpty() ? ALL : new Selector(labels, reqs);
    }

    static void checkKey(String key, String field, PolicyProblems problems) {
        String why = keyProblem(key);
        if (why != null) {
            problems.add(field, "invalid label key " + quote(key) + ": " + why);
        }
    }

    static void checkValue(String value, String field, PolicyProblems problems) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (value.length() > 63 || !NAME.matcher(value).matches()) {
            problems.add(field, "invalid label value " + quote(value) + ": at most 63 characters, letters, digits, '-', '_' or '.', "
                    + "starting and ending with a letter or digit");
        }
    }

    /** Why a label key is invalid, or null when it is valid. */
    static String keyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return "a key must not be empty";
        }
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return "the prefix before '/' must be a DNS subdomain (lower-case letters, digits, '-' and '.')";
            }
        }
        if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
            return "the name must be at most 63 characters, letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
        }
        return null;
    }

    private static String quote(String s) {
        return s == null ? "(none)" : "\"" + s + "\"";
    }

    boolean isEmpty() {
        return this == ALL || (matchLabels.isEmpty() && requirements.isEmpty());
    }

    boolean matches(Map<String, String> labels) {
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** Equal for selectors that say the same thing, whatever their order: {@code app=web, tier In [a, b]}. */
    String canonical() {
        return canonical;
    }

    @Override
    public String toString() {
        return canonical.isEmpty() ? "{}" : "{" + canonical + "}";
    }
}
