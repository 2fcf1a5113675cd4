package io.kubeward.engine.config;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An accepted risk: findings of some rules on some objects (and optionally some containers) do
 * not count. Every selector that is set must match; names and images accept {@code *} wildcards.
 * An exception past its expiry date stops applying, and the findings it would have exempted say so.
 *
 * @param name how the exception is referred to in reports
 * @param rules rule ids, or {@code *} for all
 * @param namespaces namespaces the object must be in (empty: any)
 * @param kinds kinds of the object (empty: any)
 * @param names object names, wildcards allowed (empty: any)
 * @param labels labels the object (or its pods) must carry
 * @param containers container names, wildcards allowed (empty: the whole object)
 * @param images container images, wildcards allowed (empty: any)
 * @param reason why the risk is accepted (required)
 * @param expires the last day the exception applies, or null
 */
public record RuleException(
        String name,
        List<String> rules,
        List<String> namespaces,
        List<String> kinds,
        List<String> names,
        Map<String, String> labels,
        List<String> containers,
        List<String> images,
        String reason,
        LocalDate expires) {

    public RuleException {
        rules = rules == null ? List.of() : List.copyOf(rules);
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        kinds = kinds == null ? List.of() : List.copyOf(kinds);
        names = names == null ? List.of() : List.copyOf(names);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        containers = containers == null ? List.of() : List.copyOf(containers);
        images = images == null ? List.of() : List.copyOf(images);
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("exception '" + name + "' needs a reason");
        }
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("exception '" + name + "' names no rule (use \"*\" for every rule)");
        }
    }

    public boolean isExpired(LocalDate today) {
        return expires != null && today.isAfter(expires);
    }

    public boolean coversRule(String ruleId) {
        return rules.contains("*") || rules.contains(ruleId);
    }

    public static boolean anyGlob(List<String> patterns, String value) {
        if (patterns.isEmpty()) {
            return true;
        }
        if (value == null) {
            return false;
        }
        for (String p : patterns) {
            if (glob(p).matcher(value).matches()) {
                return true;
            }
        }
        return false;
    }

    private static Pattern glob(String pattern) {
        String[] parts = pattern.split("\\*", -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                sb.append(".*");
            }
            sb.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(sb.toString());
    }
}
