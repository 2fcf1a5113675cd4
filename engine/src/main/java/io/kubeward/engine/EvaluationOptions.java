package io.kubeward.engine;

/**
 * How to evaluate: which Pod Security Standards profile applies (null: none, only the general
 * rules run). Immutable; {@link #DEFAULT} has no profile.
 */
public record EvaluationOptions(PodSecurityProfile profile) {

    public static final EvaluationOptions DEFAULT = new EvaluationOptions(null);

    public EvaluationOptions withProfile(PodSecurityProfile p) {
        return new EvaluationOptions(p);
    }
}
