package io.kubeward.engine.network;

import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One ingress or egress rule of a {@link CompiledPolicy}. No peers means every peer (all pods and
 * all addresses); no ports means every port of every protocol. The pods and external ranges it
 * matches are filled in by the analysis.
 */
final class CompiledRule {

    final CompiledPolicy policy;
    final Direction direction;
    final int index;
    final List<PolicyPeer> peers;
    final List<PortSpec> ports;
    /** What it allows towards an address outside the cluster, where named ports resolve to nothing. */
    final ConnectionSet unnamedPorts;
    final boolean hasNamedPorts;

    /** The pod classes its peers match (set by the analysis). */
    BitSet matchedPods = new BitSet();
    /** The external ranges its peers match, by index in the direction's ranges (set by the analysis). */
    BitSet matchedRanges = new BitSet();

    /** Resolved ports by named-port profile of the destination pod class. */
    private final ConcurrentHashMap<Integer, ConnectionSet> resolved = new ConcurrentHashMap<>();

    CompiledRule(CompiledPolicy policy, Direction direction, int index, List<PolicyPeer> peers, List<PortSpec> ports) {
        this.policy = policy;
        this.direction = direction;
        this.index = index;
        this.peers = List.copyOf(peers);
        this.ports = List.copyOf(ports);
        this.hasNamedPorts = ports.stream().anyMatch(PortSpec::isNamed);
        this.unnamedPorts = resolve(java.util.Map.of());
    }

    boolean allowsAllPeers() {
        return peers.isEmpty();
    }

    /** What it allows on a pod of the class (the destination of the connection). */
    ConnectionSet portsFor(PodClass destination) {
        if (!hasNamedPorts) {
            return unnamedPorts;
        }
        return resolved.computeIfAbsent(destination.portProfile, k -> resolve(destination.namedPorts));
    }

    /** What it allows on a pod with these named ports. */
    ConnectionSet resolve(java.util.Map<String, ConnectionSet> namedPorts) {
        if (ports.isEmpty()) {
            return ConnectionSet.ALL;
        }
        ConnectionSet out = ConnectionSet.NONE;
        for (PortSpec p : ports) {
            out = out.union(p.resolve(namedPorts));
        }
        return out;
    }

    /** True when its peers take in the whole address range (an ipBlock, or no peers at all). */
    boolean matchesAddresses(IpRange range) {
        if (peers.isEmpty()) {
            return true;
        }
        for (PolicyPeer p : peers) {
            if (p.containsAddresses(range)) {
                return true;
            }
        }
        return false;
    }

    /** {@code spec.ingress[0]}. */
    String path() {
        return "spec." + direction.field() + "[" + index + "]";
    }

    RuleRef ref() {
        return new RuleRef(policy.ref(), direction, index);
    }

    @Override
    public String toString() {
        return policy.ref() + " " + path();
    }
}
