package io.kubeward.engine.network;

import java.util.Arrays;
import java.util.Map;
import java.util.EnumMap;

/**
 * An immutable set of allowed connections: a {@link PortSet} for each {@link Protocol}. Prints in
 * the connlist format: {@code All Connections}, or items such as {@code SCTP 7070,TCP 8080-8081,UDP 9090}.
 */
public final class ConnectionSet {

    private static final Protocol[] PROTOCOLS = Protocol.values();

    public static final ConnectionSet NONE = new ConnectionSet(new PortSet[] {PortSet.NONE, PortSet.NONE, PortSet.NONE});
    public static final ConnectionSet ALL = new ConnectionSet(new PortSet[] {PortSet.ALL, PortSet.ALL, PortSet.ALL});

    /** Indexed by {@link Protocol#ordinal()}. */
    private final PortSet[] ports;

    private ConnectionSet(PortSet[] ports) {
        this.ports = ports;
    }

    public static ConnectionSet of(Protocol protocol, PortSet ports) {
        PortSet[] p = {PortSet.NONE, PortSet.NONE, PortSet.NONE};
        p[protocol.ordinal()] = ports;
        return make(p);
    }

    public static ConnectionSet of(Protocol protocol, int port) {
        return of(protocol, PortSet.of(port));
    }

    /** Every port of one protocol. */
    public static ConnectionSet allOf(Protocol protocol) {
        return of(protocol, PortSet.ALL);
    }

    private static ConnectionSet make(PortSet[] p) {
        boolean none = true;
        boolean all = true;
        for (PortSet s : p) {
            none &= s.isEmpty();
            all &= s.isAll();
        }
        return none ? NONE : all ? ALL : new ConnectionSet(p);
    }

    public PortSet ports(Protocol protocol) {
        return ports[protocol.ordinal()];
    }

    /** The ports by protocol, leaving out protocols with none. */
    public Map<Protocol, PortSet> byProtocol() {
        Map<Protocol, PortSet> out = new EnumMap<>(Protocol.class);
        for (Protocol p : PROTOCOLS) {
            if (!ports[p.ordinal()].isEmpty()) {
                out.put(p, ports[p.ordinal()]);
            }
        }
        return out;
    }

    public boolean isEmpty() {
        return this == NONE;
    }

    public boolean isAll() {
        return this == ALL;
    }

    public boolean allows(Protocol protocol, int port) {
        return ports[protocol.ordinal()].contains(port);
    }

    public boolean containsAll(ConnectionSet other) {
        return other.minus(this).isEmpty();
    }

    public ConnectionSet union(ConnectionSet other) {
        if (this == other || other == NONE || this == ALL) {
            return this;
        }
        if (this == NONE || other == ALL) {
            return other;
        }
        PortSet[] p = new PortSet[PROTOCOLS.length];
        boolean same = true;
        for (int i = 0; i < p.length; i++) {
            p[i] = ports[i].union(other.ports[i]);
            same &= p[i].equals(ports[i]);
        }
        return same ? this : make(p);
    }

    public ConnectionSet intersect(ConnectionSet other) {
        if (this == other || other == ALL || this == NONE) {
            return this;
        }
        if (this == ALL || other == NONE) {
            return other;
        }
        PortSet[] p = new PortSet[PROTOCOLS.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = ports[i].intersect(other.ports[i]);
        }
        return make(p);
    }

    public ConnectionSet minus(ConnectionSet other) {
        if (other == NONE || this == NONE) {
            return this;
        }
        if (other == ALL || this == other) {
            return NONE;
        }
        PortSet[] p = new PortSet[PROTOCOLS.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = ports[i].minus(other.ports[i]);
        }
        return make(p);
    }

    /**
     * {@code All Connections} when every port of every protocol is in; otherwise the protocols with
     * ports in alphabetical order, each as {@code PROTOCOL ports}, joined by commas; {@code No Connections}
     * when empty.
     */
    @Override
    public String toString() {
        if (this == ALL) {
            return "All Connections";
        }
        if (this == NONE) {
            return "No Connections";
        }
        StringBuilder sb = new StringBuilder();
        for (Protocol p : PROTOCOLS) {
            PortSet s = ports[p.ordinal()];
            if (!s.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(p.name()).append(' ').append(s);
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectionSet c && Arrays.equals(ports, c.ports);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ports);
    }
}
