package io.kubeward.engine.psp;

import io.kubeward.engine.SourceLocation;

/**
 * What is wrong with one field of a PodSecurityPolicy: the field's path in the object
 * ({@code spec.runAsUser.ranges[1]}), a message a person can act on, and where the field sits in
 * the input (null when the policy did not come from a file).
 */
public record PolicyProblem(String field, String message, SourceLocation location) {

    public String getField() {
        return field;
    }

    public String getMessage() {
        return message;
    }

    /** {@code file:line (document n): field: message}. */
    public String display() {
        return (location == null ? "" : location.display() + ": ") + field + ": " + message;
    }
}
