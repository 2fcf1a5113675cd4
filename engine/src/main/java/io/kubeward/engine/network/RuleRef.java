package io.kubeward.engine.network;

/** Names one rule of one policy: the policy ({@code namespace/name}), its direction and its 0-based index. */
public record RuleRef(String policy, Direction direction, int index) {

    /** The rule's field path in the policy, e.g. {@code spec.ingress[0]}. */
    public String path() {
        return "spec." + direction.field() + "[" + index + "]";
    }

    /** {@code default/backend-netpol spec.ingress[0]}. */
    public String display() {
        return policy + " " + path();
    }

    @Override
    public String toString() {
        return display();
    }
}
