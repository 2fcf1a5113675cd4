package io.kubeward.engine.network;

import io.kubeward.engine.SourceLocation;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The snapshot holds NetworkPolicies the API server would refuse, so no connectivity is computed.
 * Lists every problem found, each naming the policy ({@code namespace/name}), the field path
 * ({@code spec.ingress[0].from[1].ipBlock.cidr}) and, when known, where it sits in the input.
 */
public final class NetworkPolicyValidationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** One invalid field of one policy. */
    public record Problem(String policy, String field, String message, SourceLocation location) {

        /** {@code NetworkPolicy ns/name, spec.ingress[0].from[0].ipBlock.cidr (netpols.yaml:22): message}. */
        public String display() {
            return "NetworkPolicy " + policy + ", " + (field == null || field.isEmpty() ? "object" : field)
                    + (location == null ? "" : " (" + location.display() + ")") + ": " + message;
        }
    }

    private final transient List<Problem> problems;

    public NetworkPolicyValidationException(List<Problem> problems) {
        super(summary(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a validation exception needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    private static String summary(List<Problem> problems) {
        if (problems.size() == 1) {
            return "invalid " + problems.get(0).display();
        }
        return problems.size() + " invalid NetworkPolicy fields:\n"
                + problems.stream().map(p -> "  " + p.display()).collect(Collectors.joining("\n"));
    }

    public List<Problem> problems() {
        return problems;
    }

    /** The policy of the first problem, {@code namespace/name}. */
    public String policy() {
        return problems.get(0).policy();
    }

    /** The field of the first problem. */
    public String field() {
        return problems.get(0).field();
    }
}
