package io.kubeward.engine.config;

import io.kubeward.engine.PodSecurityProfile;
import io.kubeward.engine.Severity;
import java.util.List;
import java.util.Map;

/**
 * What a team decides about the rules: which rules and categories run, severity overrides, the
 * default Pod Security profile, and the exceptions. Read from YAML by an adapter (the engine reads
 * no files); {@link #EMPTY} changes nothing.
 *
 * @param rules rule id → enabled (false disables a rule; true enables an opt-in rule)
 * @param categories category → enabled
 * @param severities rule id → severity that replaces the rule's default
 * @param profile the Pod Security profile to evaluate, or null
 * @param exceptions the exceptions, in file order
 */
public record Configuration(
        Map<String, Boolean> rules,
        Map<String, Boolean> categories,
        Map<String, Severity> severities,
        PodSecurityProfile profile,
        List<RuleException> exceptions) {

    public static final Configuration EMPTY = new Configuration(Map.of(), Map.of(), Map.of(), null, List.of());

    public Configuration {
        rules = rules == null ? Map.of() : Map.copyOf(rules);
        categories = categories == null ? Map.of() : Map.copyOf(categories);
        severities = severities == null ? Map.of() : Map.copyOf(severities);
        exceptions = exceptions == null ? List.of() : List.copyOf(exceptions);
    }

    /** False when the rule or its category is switched off. */
    public boolean isEnabled(String ruleId, String category) {
        Boolean byRule = rules.get(ruleId);
        if (byRule != null) {
            return byRule;
        }
        Boolean byCategory = category == null ? null : categories.get(category);
        return byCategory == null || byCategory;
    }

    /** True when the configuration explicitly switches the rule on (needed for opt-in rules). */
    public boolean isExplicitlyEnabled(String ruleId) {
        return Boolean.TRUE.equals(rules.get(ruleId));
    }
}
