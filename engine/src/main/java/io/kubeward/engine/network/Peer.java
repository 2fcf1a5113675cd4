package io.kubeward.engine.network;

import java.util.Objects;

/**
 * One end of a connection in the connlist: a workload ({@code namespace/name[Kind]}, pods folded
 * into their controller) or a range of addresses outside the cluster ({@code first-last[External]}).
 */
public final class Peer implements Comparable<Peer> {

    private final String namespace;
    private final String name;
    private final String kind;
    private final IpRange range;
    private final String display;

    private Peer(String namespace, String name, String kind, IpRange range) {
        this.namespace = namespace;
        this.name = name;
        this.kind = kind;
        this.range = range;
        this.display = range == null ? namespace + "/" + name + "[" + kind + "]" : range + "[External]";
    }

    public static Peer workload(String namespace, String name, String kind) {
        return new Peer(Objects.requireNonNull(namespace), Objects.requireNonNull(name), Objects.requireNonNull(kind), null);
    }

    public static Peer external(IpRange range) {
        return new Peer(null, null, "External", Objects.requireNonNull(range));
    }

    public boolean isExternal() {
        return range != null;
    }

    /** The namespace of a workload, null for an external range. */
    public String namespace() {
        return namespace;
    }

    /** The name of a workload, null for an external range. */
    public String name() {
        return name;
    }

    /** The workload kind (Deployment, Pod, ...), or {@code External}. */
    public String kind() {
        return kind;
    }

    /** The addresses of an external peer, null for a workload. */
    public IpRange range() {
        return range;
    }

    /** {@code default/frontend[Deployment]} or {@code 0.0.0.0-255.255.255.255[External]}. */
    public String display() {
        return display;
    }

    /** Byte-wise order of the display names, as the connlist sorts. */
    @Override
    public int compareTo(Peer o) {
        return display.compareTo(o.display);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Peer p && p.display.equals(display);
    }

    @Override
    public int hashCode() {
        return display.hashCode();
    }

    @Override
    public String toString() {
        return display;
    }
}
