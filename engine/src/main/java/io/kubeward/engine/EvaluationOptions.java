package io.kubeward.engine;

import io.kubeward.engine.config.Configuration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * How to evaluate: which Pod Security Standards profile applies (null: none, only the general
 * rules run), which opt-in rules run ({@link RuleDescriptor#optIn()}: rules that say more than the
 * standards do, off unless named here or switched on by the configuration), the team's
 * {@link Configuration} (rules switched on or off, severities, exceptions), and the day exceptions
 * are checked against (null: today). Immutable; {@link #DEFAULT} has none of them.
 *
 * @param optInRules ids of the opt-in rules to run; each must be an opt-in rule of the engine
 */
public record EvaluationOptions(PodSecurityProfile profile, Set<String> optInRules, Configuration configuration, LocalDate today) {

    public static final EvaluationOptions DEFAULT = new EvaluationOptions(null);

    public EvaluationOptions {
        optInRules = optInRules == null || optInRules.isEmpty()
                ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(optInRules));
        configuration = configuration == null ? Configuration.EMPTY : configuration;
    }

    public EvaluationOptions(PodSecurityProfile profile) {
        this(profile, Set.of(), Configuration.EMPTY, null);
    }

    public EvaluationOptions(PodSecurityProfile profile, Set<String> optInRules) {
        this(profile, optInRules, Configuration.EMPTY, null);
    }

    public EvaluationOptions withProfile(PodSecurityProfile p) {
        return new EvaluationOptions(p, optInRules, configuration, today);
    }

    /** These options with the given opt-in rules enabled as well. */
    public EvaluationOptions withOptInRules(Collection<String> ids) {
        Set<String> all = new TreeSet<>(optInRules);
        all.addAll(ids);
        return new EvaluationOptions(profile, all, configuration, today);
    }

    /** These options with the given opt-in rules enabled as well. */
    public EvaluationOptions withOptInRules(String... ids) {
        return withOptInRules(Arrays.asList(ids));
    }

    /** True when the opt-in rule with this id is enabled by these options (the configuration may enable more). */
    public boolean optsIn(String ruleId) {
        return optInRules.contains(ruleId);
    }

    /** The configuration, and its profile unless a profile is already chosen. */
    public EvaluationOptions withConfiguration(Configuration c) {
        return new EvaluationOptions(profile != null ? profile : c.profile(), optInRules, c, today);
    }

    public EvaluationOptions withToday(LocalDate day) {
        return new EvaluationOptions(profile, optInRules, configuration, day);
    }

    public LocalDate effectiveToday() {
        return today != null ? today : LocalDate.now();
    }
}
