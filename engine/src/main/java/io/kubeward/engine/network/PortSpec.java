package io.kubeward.engine.network;

import java.util.Map;

/**
 * One entry of a rule's {@code ports}: a protocol with a number or range, a named port, or every
 * port of the protocol ({@code from == 1, to == 65535}).
 */
record PortSpec(Protocol protocol, int from, int to, String name) {

    static PortSpec all(Protocol protocol) {
        return new PortSpec(protocol, PortSet.MIN, PortSet.MAX, null);
    }

    boolean isNamed() {
        return name != null;
    }

    /** What it allows on a destination pod with these named ports (name to the ports it names). */
    ConnectionSet resolve(Map<String, ConnectionSet> namedPorts) {
        if (name == null) {
            return ConnectionSet.of(protocol, PortSet.range(from, to));
        }
        ConnectionSet byName = namedPorts.get(name);
        // a name the pod lacks, or has only for another protocol, allows nothing
        return byName == null ? ConnectionSet.NONE : ConnectionSet.of(protocol, byName.ports(protocol));
    }

    @Override
    public String toString() {
        if (name != null) {
            return name + "/" + protocol;
        }
        if (from == PortSet.MIN && to == PortSet.MAX) {
            return "all " + protocol + " ports";
        }
        return (from == to ? String.valueOf(from) : from + "-" + to) + "/" + protocol;
    }
}
