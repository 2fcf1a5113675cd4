package io.kubeward.engine.network;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/** Answers {@link Connectivity#explain} from the analysed model. */
final class ConnectionExplainer {

    private final NetworkModel model;

    ConnectionExplainer(NetworkModel model) {
        this.model = model;
    }

    /** A workload (its pod classes) or an address. */
    private record End(String display, BitSet classes, IpRange address) {
        boolean external() {
            return address != null;
        }
    }

    Explanation explain(String from, String to, int port, String protocolText) {
        if (port < PortSet.MIN || port > PortSet.MAX) {
            throw new IllegalArgumentException("port " + port + " is outside 1-65535");
        }
        Protocol protocol = Protocol.parseLenient(protocolText);
        End src = resolve(from, "source");
        End dst = resolve(to, "destination");
        if (src.external() && dst.external()) {
            throw new IllegalArgumentException("both ends are addresses outside the cluster (" + from + ", " + to
                    + "); NetworkPolicies only govern connections to or from pods");
        }
        Explanation first = null;
        for (int s : indexes(src)) {
            for (int d : indexes(dst)) {
                Explanation.Side egress = egress(src, s, dst, d, port, protocol);
                Explanation.Side ingress = ingress(src, s, dst, d, port, protocol);
                Explanation e = new Explanation(src.display, dst.display, port, protocol,
                        egress.permits() && ingress.permits(), egress, ingress);
                if (e.allowed()) {
                    return e; // pods of one workload may differ; one allowed pair allows the connection
                }
                if (first == null) {
                    first = e;
                }
            }
        }
        return first;
    }

    private static int[] indexes(End e) {
        return e.external() ? new int[] {-1} : e.classes.stream().toArray();
    }

    private Explanation.Side egress(End src, int s, End dst, int d, int port, Protocol protocol) {
        if (src.external()) {
            return new Explanation.Side(Direction.EGRESS, src.display, Explanation.Verdict.OUTSIDE_CLUSTER, List.of(), List.of());
        }
        PodClass from = model.classes.get(s);
        List<CompiledPolicy> isolating = model.policies(Direction.EGRESS, from);
        List<RuleRef> allowing = new ArrayList<>();
        for (CompiledPolicy p : isolating) {
            for (CompiledRule r : p.egress) {
                boolean peerMatches = dst.external() ? r.matchesAddresses(dst.address) : r.matchedPods.get(d);
                ConnectionSet ports = dst.external() ? r.unnamedPorts : r.portsFor(model.classes.get(d));
                if (peerMatches && ports.allows(protocol, port)) {
                    allowing.add(r.ref());
                }
            }
        }
        return side(Direction.EGRESS, src.display, isolating, allowing);
    }

    private Explanation.Side ingress(End src, int s, End dst, int d, int port, Protocol protocol) {
        if (dst.external()) {
            return new Explanation.Side(Direction.INGRESS, dst.display, Explanation.Verdict.OUTSIDE_CLUSTER, List.of(), List.of());
        }
        PodClass to = model.classes.get(d);
        List<CompiledPolicy> isolating = model.policies(Direction.INGRESS, to);
        List<RuleRef> allowing = new ArrayList<>();
        for (CompiledPolicy p : isolating) {
            for (CompiledRule r : p.ingress) {
                boolean peerMatches = src.external() ? r.matchesAddresses(src.address) : r.matchedPods.get(s);
                if (peerMatches && r.portsFor(to).allows(protocol, port)) {
                    allowing.add(r.ref());
                }
            }
        }
        return side(Direction.INGRESS, dst.display, isolating, allowing);
    }

    private static Explanation.Side side(Direction d, String peer, List<CompiledPolicy> isolating, List<RuleRef> allowing) {
        Explanation.Verdict v = isolating.isEmpty() ? Explanation.Verdict.NOT_ISOLATED
                : allowing.isEmpty() ? Explanation.Verdict.BLOCKED : Explanation.Verdict.ALLOWED;
        return new Explanation.Side(d, peer, v, isolating.stream().map(CompiledPolicy::ref).toList(), allowing);
    }

    private End resolve(String text, String role) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no " + role + " given");
        }
        String t = text.strip();
        Map<String, Peer> names = model.peerNames();
        Peer p = names.get(t);
        if (p == null) {
            p = model.podAliases.get(t);
        }
        if (p != null) {
            return new End(p.display(), model.peers.get(p), null);
        }
        try {
            IpRange address = IpRange.parseAddress(t);
            return new End(t, null, address);
        } catch (IllegalArgumentException notAnAddress) {
            // reported below with the workload names
        }
        List<String> known = model.peers.keySet().stream().map(Peer::display).limit(5).toList();
        throw new IllegalArgumentException("unknown " + role + " \"" + t + "\": give a workload as namespace/name[Kind] or "
                + "namespace/name, or an IP address" + (known.isEmpty() ? " (the snapshot has no workloads)"
                : "; workloads include " + String.join(", ", known) + (model.peers.size() > 5 ? ", ..." : "")));
    }
}
