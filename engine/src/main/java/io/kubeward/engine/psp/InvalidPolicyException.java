package io.kubeward.engine.psp;

import io.kubeward.engine.ResourceRef;
import java.util.List;
import java.util.stream.Collectors;

/** A PodSecurityPolicy the API server would refuse to store: each problem names its field. */
public class InvalidPolicyException extends RuntimeException {

    private final ResourceRef policy;
    private final List<PolicyProblem> problems;

    public InvalidPolicyException(ResourceRef policy, List<PolicyProblem> problems) {
        super("PodSecurityPolicy " + (policy.name() == null ? "(no name)" : policy.name()) + " is invalid:\n"
                + problems.stream().map(p -> "  " + p.display()).collect(Collectors.joining("\n")));
        this.policy = policy;
        this.problems = List.copyOf(problems);
    }

    public ResourceRef policy() {
        return policy;
    }

    public List<PolicyProblem> problems() {
        return problems;
    }
}
