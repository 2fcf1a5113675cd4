package io.kubeward.engine.network;

/** The side of a connection a NetworkPolicy rule governs. */
public enum Direction {
    INGRESS("ingress", "Ingress"),
    EGRESS("egress", "Egress");

    private final String field;
    private final String policyType;

    Direction(String field, String policyType) {
        this.field = field;
        this.policyType = policyType;
    }

    /** The spec field of the rules: {@code ingress} or {@code egress}. */
    public String field() {
        return field;
    }

    /** The policyTypes value: {@code Ingress} or {@code Egress}. */
    public String policyType() {
        return policyType;
    }

    /** The peers field of a rule: {@code from} or {@code to}. */
    public String peersField() {
        return this == INGRESS ? "from" : "to";
    }
}
