package io.kubeward.engine.network;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Why one connection ({@code source => destination} on {@code port/protocol}) is allowed or denied:
 * the verdict of egress at the source and of ingress at the destination, each naming the
 * policies that isolate that end and every rule that allows the connection.
 */
public record Explanation(String source, String destination, int port, Protocol protocol, boolean allowed,
                          Side egress, Side ingress) {

    /** What one end decides. */
    public enum Verdict {
        /** The end is outside the cluster: no NetworkPolicy applies to it. */
        OUTSIDE_CLUSTER,
        /** No policy selects the pod for this direction: everything is allowed. */
        NOT_ISOLATED,
        /** Isolated, and at least one rule allows the connection. */
        ALLOWED,
        /** Isolated, and no rule allows the connection. */
        BLOCKED
    }

    /**
     * One end: {@link Direction#EGRESS} at the source or {@link Direction#INGRESS} at the destination.
     *
     * @param isolatingPolicies {@code namespace/name} of each policy that selects the pod for this direction
     * @param allowingRules every rule of those policies that allows the connection
     */
    public record Side(Direction direction, String peer, Verdict verdict, List<String> isolatingPolicies,
                       List<RuleRef> allowingRules) {

        public Side {
            isolatingPolicies = List.copyOf(isolatingPolicies);
            allowingRules = List.copyOf(allowingRules);
        }

        public boolean permits() {
            return verdict != Verdict.BLOCKED;
        }

        String line(int port, Protocol protocol, String other) {
            String head = direction.field() + " at " + peer + ": ";
            return head + switch (verdict) {
                case OUTSIDE_CLUSTER -> "outside the cluster, no policy applies";
                case NOT_ISOLATED -> "not isolated (no policy selects it for " + direction.policyType() + "), all allowed";
                case ALLOWED -> "allowed by " + allowingRules.stream().map(RuleRef::display).collect(Collectors.joining(", "));
                case BLOCKED -> "blocked: isolated by " + String.join(", ", isolatingPolicies) + ", and none of their "
                        + direction.field() + " rules allows " + port + "/" + protocol
                        + (direction == Direction.EGRESS ? " to " : " from ") + other;
            };
        }
    }

    /**
     * {@code allowed}, or {@code denied by} egress isolation at the source, ingress isolation at the
     * destination, or both.
     */
    public String verdict() {
        if (allowed) {
            return "allowed";
        }
        if (!egress.permits() && !ingress.permits()) {
            return "denied by egress isolation at the source and ingress isolation at the destination";
        }
        return !egress.permits() ? "denied by egress isolation at the source" : "denied by ingress isolation at the destination";
    }

    /** The explanation as text: a headline and one line per end. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(source + " => " + destination + " on " + port + "/" + protocol + ": " + verdict());
        out.add("  " + egress.line(port, protocol, destination));
        out.add("  " + ingress.line(port, protocol, source));
        return out;
    }

    @Override
    public String toString() {
        return String.join("\n", lines());
    }
}
