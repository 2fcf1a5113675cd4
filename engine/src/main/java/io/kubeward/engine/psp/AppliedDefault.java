package io.kubeward.engine.psp;

/**
 * A value a policy sets on a pod that left it unset: the field (a path of the original object),
 * the value as it would be written in YAML, and the policy rule it comes from.
 */
public record AppliedDefault(String path, String value, String because) {

    /** e.g. {@code spec.containers[0].securityContext.runAsUser = 2 (runAsUser MustRunAs 2-10)}. */
    public String display() {
        return path + " = " + value + " (" + because + ")";
    }
}
