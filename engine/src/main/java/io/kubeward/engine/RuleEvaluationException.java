package io.kubeward.engine;

/** A rule failed while running (a bug in the rule, or a runaway rule). The evaluation produced no result. */
public class RuleEvaluationException extends RuntimeException {

    public RuleEvaluationException(String message, Throwable cause) {
        super(message, cause);
    }
}
