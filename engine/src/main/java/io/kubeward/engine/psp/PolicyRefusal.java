package io.kubeward.engine.psp;

import io.kubeward.engine.SourceLocation;

/**
 * Why a policy refuses a pod: the policy, the rule id that refused it ({@code psp-host-ports}),
 * the field of the pod at fault (a path of the original object), a message, and where the field
 * sits in the input (null when unknown).
 */
public record PolicyRefusal(String policy, String rule, String path, String message, SourceLocation location) {

    /** e.g. {@code psp-host-ports spec.containers[0].ports[0].hostPort: container ... }. */
    public String display() {
        return rule + " " + path + ": " + message;
    }
}
