package io.kubeward.engine;

import io.kubeward.engine.config.Configuration;
import java.time.LocalDate;

/**
 * How to evaluate: which Pod Security Standards profile applies (null: none, only the general
 * rules run), the team's {@link Configuration} (rules switched on or off, severities, exceptions),
 * and the day exceptions are checked against (null: today). Immutable; {@link #DEFAULT} has none.
 */
public record EvaluationOptions(PodSecurityProfile profile, Configuration configuration, LocalDate today) {

    public static final EvaluationOptions DEFAULT = new EvaluationOptions(null, Configuration.EMPTY, null);

    public EvaluationOptions {
        configuration = configuration == null ? Configuration.EMPTY : configuration;
    }

    public EvaluationOptions(PodSecurityProfile profile) {
        this(profile, Configuration.EMPTY, null);
    }

    public EvaluationOptions withProfile(PodSecurityProfile p) {
        return new EvaluationOptions(p, configuration, today);
    }

    /** The configuration, and its profile unless a profile is already chosen. */
    public EvaluationOptions withConfiguration(Configuration c) {
        return new EvaluationOptions(profile != null ? profile : c.profile(), c, today);
    }

    public EvaluationOptions withToday(LocalDate day) {
        return new EvaluationOptions(profile, configuration, day);
    }

    public LocalDate effectiveToday() {
        return today != null ? today : LocalDate.now();
    }
}
