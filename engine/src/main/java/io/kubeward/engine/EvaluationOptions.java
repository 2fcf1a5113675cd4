package io.kubeward.engine;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * How to evaluate: which Pod Security Standards profile applies (null: none, only the general
 * rules run) and which opt-in rules run ({@link RuleDescriptor#optIn()}: rules that say more than
 * the standards do, off unless named here). Immutable; {@link #DEFAULT} has no profile and no
 * opt-in rule.
 *
 * @param optInRules ids of the opt-in rules to run; each must be an opt-in rule of the engine
 */
public record EvaluationOptions(PodSecurityProfile profile, Set<String> optInRules) {

    public static final EvaluationOptions DEFAULT = new EvaluationOptions(null);

    public EvaluationOptions {
        optInRules = optInRules == null || optInRules.isEmpty()
                ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(optInRules));
    }

    public EvaluationOptions(PodSecurityProfile profile) {
        this(profile, Set.of());
    }

    public EvaluationOptions withProfile(PodSecurityProfile p) {
        return new EvaluationOptions(p, optInRules);
    }

    /** These options with the given opt-in rules enabled as well. */
    public EvaluationOptions withOptInRules(Collection<String> ids) {
        Set<String> all = new TreeSet<>(optInRules);
        all.addAll(ids);
        return new EvaluationOptions(profile, all);
    }

    /** These options with the given opt-in rules enabled as well. */
    public EvaluationOptions withOptInRules(String... ids) {
        return withOptInRules(Arrays.asList(ids));
    }

    /** True when the opt-in rule with this id is enabled. */
    public boolean optsIn(String ruleId) {
        return optInRules.contains(ruleId);
    }
}
