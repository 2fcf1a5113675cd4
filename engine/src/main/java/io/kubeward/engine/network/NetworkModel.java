package io.kubeward.engine.network;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.SourceLocation;
import io.kubeward.engine.model.ContainerKind;
import io.kubeward.engine.model.ContainerPort;
import io.kubeward.engine.model.ContainerView;
import io.kubeward.engine.model.Workload;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The network view of a snapshot: namespaces with their labels, pods grouped into {@link PodClass}es
 * and folded into {@link Peer}s, the compiled policies, which policies select each class, the
 * external address ranges of each direction, and what every rule matches.
 */
final class NetworkModel {

    static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    /** Namespace name to labels, the name label included; declared and implied namespaces. */
    final Map<String, Map<String, String>> namespaces = new TreeMap<>();
    final List<PodClass> classes = new ArrayList<>();
    final Map<String, List<PodClass>> classesByNamespace = new HashMap<>();
    /** Workload peers in connlist order, each with the classes of its pods. */
    final TreeMap<Peer, BitSet> peers = new TreeMap<>();
    final List<CompiledPolicy> policies = new ArrayList<>();
    final List<NetworkPolicyValidationException.Problem> problems = new ArrayList<>();
    /** {@code namespace/pod} of each pod folded into its controller, to its peer. */
    final Map<String, Peer> podAliases = new HashMap<>();

    /** Per class: the policies that select it and isolate it in each direction. */
    List<List<CompiledPolicy>> ingressPolicies;
    List<List<CompiledPolicy>> egressPolicies;
    /** External source ranges (cut by ingress ipBlocks) and destination ranges (cut by egress ipBlocks). */
    List<IpRange> sourceRanges;
    List<IpRange> destinationRanges;

    private NetworkModel() {
    }

    /**
     * Reads the snapshot and matches every rule.
     *
     * @throws NetworkPolicyValidationException when any policy is invalid
     */
    static NetworkModel build(Collection<InputObject> objects) {
        NetworkModel m = new NetworkModel();
        m.read(objects);
        if (!m.problems.isEmpty()) {
            throw new NetworkPolicyValidationException(m.problems);
        }
        m.select();
        m.sourceRanges = m.cutRanges(Direction.INGRESS);
        m.destinationRanges = m.cutRanges(Direction.EGRESS);
        m.matchRules();
        return m;
    }

    private void read(Collection<InputObject> objects) {
        Map<String, SourceLocation> policyNames = new HashMap<>();
        Map<List<Object>, PodClass> classKeys = new HashMap<>();
        Map<Map<String, ConnectionSet>, Integer> portProfiles = new HashMap<>();
        Map<Peer, BitSet> members = new HashMap<>();
        for (InputObject in : objects) {
            HasMetadata o = in.object();
            if (o instanceof Namespace ns && ns.getMetadata() != null && ns.getMetadata().getName() != null) {
                Map<String, String> labels = new TreeMap<>();
                if (ns.getMetadata().getLabels() != null) {
                    labels.putAll(ns.getMetadata().getLabels());
                }
                labels.put(NAMESPACE_NAME_LABEL, ns.getMetadata().getName());
                namespaces.put(ns.getMetadata().getName(), Map.copyOf(labels));
            } else if (o instanceof NetworkPolicy np) {
                PolicyCompiler.Result r = PolicyCompiler.compile(np, in.source());
                problems.addAll(r.problems());
                CompiledPolicy p = r.policy();
                SourceLocation here = in.locate("metadata.name");
                SourceLocation before = policyNames.putIfAbsent(p.ref(), here);
                if (before != null) {
                    problems.add(new NetworkPolicyValidationException.Problem(p.ref(), "metadata.name",
                            "a NetworkPolicy named " + p.name + " is already declared in namespace " + p.namespace
                                    + (before.file() == null ? "" : " (" + before.display() + ")")
                                    + "; names must be unique in a namespace", here));
                }
                policies.add(p);
            } else {
                Optional<Workload> w = Workload.of(o, in.source());
                if (w.isEmpty() || "PodTemplate".equals(w.get().getKind())) {
                    continue;
                }
                Workload wl = w.get();
                String ns = namespaceOf(wl);
                Map<String, String> labels = Map.copyOf(new TreeMap<>(wl.getPodLabels()));
                Map<String, ConnectionSet> named = namedPorts(wl);
                int profile = portProfiles.computeIfAbsent(named, k -> portProfiles.size());
                PodClass c = classKeys.computeIfAbsent(List.of(ns, labels, named), k -> {
                    PodClass pc = new PodClass(classes.size(), ns, labels, named, profile);
                    classes.add(pc);
                    classesByNamespace.computeIfAbsent(ns, x -> new ArrayList<>()).add(pc);
                    return pc;
                });
                Peer peer = peerOf(wl);
                members.computeIfAbsent(peer, k -> new BitSet()).set(c.index);
                if (!peer.kind().equals(wl.getKind()) && wl.getName() != null) {
                    podAliases.put(ns + "/" + wl.getName(), peer);
                }
            }
        }
        peers.putAll(members);
        for (String ns : classesByNamespace.keySet()) {
            namespaces.computeIfAbsent(ns, k -> Map.of(NAMESPACE_NAME_LABEL, k));
        }
    }

    static String namespaceOf(Workload w) {
        String ns = w.getNamespace();
        return ns == null || ns.isEmpty() ? "default" : ns;
    }

    /** A pod with a controller is shown as its direct controller; anything else as itself. */
    static Peer peerOf(Workload w) {
        String ns = namespaceOf(w);
        if ("Pod".equals(w.getKind()) && w.getObject().getMetadata() != null
                && w.getObject().getMetadata().getOwnerReferences() != null) {
            for (OwnerReference ref : w.getObject().getMetadata().getOwnerReferences()) {
                if (Boolean.TRUE.equals(ref.getController()) && ref.getName() != null && ref.getKind() != null) {
                    return Peer.workload(ns, ref.getName(), ref.getKind());
                }
            }
        }
        return Peer.workload(ns, w.getName() == null ? "(unnamed)" : w.getName(), w.getKind());
    }

    /** Port name to what it names, from the containers and init containers (ephemeral ones have no ports). */
    static Map<String, ConnectionSet> namedPorts(Workload w) {
        Map<String, ConnectionSet> out = new TreeMap<>();
        for (ContainerView c : w.getContainers()) {
            if (c.getKind() == ContainerKind.EPHEMERAL) {
                continue;
            }
            for (ContainerPort p : c.getPorts()) {
                if (p.getName() == null || p.getName().isEmpty() || p.getContainerPort() <= 0) {
                    continue;
                }
                Protocol protocol;
                try {
                    protocol = Protocol.parse(p.getProtocol());
                } catch (IllegalArgumentException e) {
                    continue;
                }
                out.merge(p.getName(), ConnectionSet.of(protocol, p.getContainerPort()), ConnectionSet::union);
            }
        }
        return Map.copyOf(out);
    }

    private void select() {
        ingressPolicies = new ArrayList<>(classes.size());
        egressPolicies = new ArrayList<>(classes.size());
        Map<String, List<CompiledPolicy>> byNamespace = new HashMap<>();
        for (CompiledPolicy p : policies) {
            byNamespace.computeIfAbsent(p.namespace, k -> new ArrayList<>()).add(p);
        }
        for (PodClass c : classes) {
            List<CompiledPolicy> in = new ArrayList<>();
            List<CompiledPolicy> out = new ArrayList<>();
            for (CompiledPolicy p : byNamespace.getOrDefault(c.namespace, List.of())) {
                if (p.selects(c)) {
                    if (p.isolatesIngress) {
                        in.add(p);
                    }
                    if (p.isolatesEgress) {
                        out.add(p);
                    }
                }
            }
            ingressPolicies.add(in);
            egressPolicies.add(out);
        }
    }

    List<CompiledPolicy> policies(Direction d, PodClass c) {
        return (d == Direction.INGRESS ? ingressPolicies : egressPolicies).get(c.index);
    }

    List<IpRange> ranges(Direction d) {
        return d == Direction.INGRESS ? sourceRanges : destinationRanges;
    }

    /**
     * Cuts the address space at every start and end of the ipBlocks of one direction's rules. IPv4
     * is always there; IPv6 only when some ipBlock of the direction is IPv6.
     */
    private List<IpRange> cutRanges(Direction d) {
        Map<Integer, TreeSet<BigInteger>> cuts = new TreeMap<>();
        cuts.put(4, new TreeSet<>());
        for (CompiledPolicy p : policies) {
            for (CompiledRule r : p.rules(d)) {
                for (PolicyPeer peer : r.peers) {
                    if (!peer.isIpBlock()) {
                        continue;
                    }
                    for (IpRange a : peer.addresses) {
                        TreeSet<BigInteger> c = cuts.computeIfAbsent(a.family(), k -> new TreeSet<>());
                        c.add(a.first());
                        c.add(a.last().add(BigInteger.ONE));
                    }
                }
            }
        }
        List<IpRange> out = new ArrayList<>();
        for (Map.Entry<Integer, TreeSet<BigInteger>> e : cuts.entrySet()) {
            IpRange all = IpRange.all(e.getKey());
            BigInteger start = all.first();
            for (BigInteger cut : e.getValue()) {
                if (cut.compareTo(start) > 0 && cut.compareTo(all.last()) <= 0) {
                    out.add(IpRange.of(all.family(), start, cut.subtract(BigInteger.ONE)));
                    start = cut;
                }
            }
            out.add(IpRange.of(all.family(), start, all.last()));
        }
        return out;
    }

    private void matchRules() {
        Map<String, BitSet> cache = new HashMap<>();
        for (CompiledPolicy p : policies) {
            for (Direction d : Direction.values()) {
                List<IpRange> ranges = ranges(d);
                for (CompiledRule r : p.rules(d)) {
                    BitSet pods = new BitSet();
                    if (r.allowsAllPeers()) {
                        pods.set(0, classes.size());
                    } else {
                        for (PolicyPeer peer : r.peers) {
                            if (!peer.isIpBlock()) {
                                pods.or(cache.computeIfAbsent(peer.podKey(p.namespace), k -> podsMatching(peer, p.namespace)));
                            }
                        }
                    }
                    r.matchedPods = pods;
                    BitSet matched = new BitSet();
                    for (int i = 0; i < ranges.size(); i++) {
                        if (r.matchesAddresses(ranges.get(i))) {
                            matched.set(i);
                        }
                    }
                    r.matchedRanges = matched;
                }
            }
        }
    }

    /** The classes a selector peer of a policy in {@code policyNamespace} matches. */
    BitSet podsMatching(PolicyPeer peer, String policyNamespace) {
        BitSet out = new BitSet();
        if (peer.isIpBlock()) {
            return out;
        }
        List<String> inNamespaces = new ArrayList<>();
        if (peer.namespaceSelector == null) {
            inNamespaces.add(policyNamespace);
        } else {
            namespaces.forEach((name, labels) -> {
                if (peer.namespaceSelector.matches(labels)) {
                    inNamespaces.add(name);
                }
            });
        }
        for (String ns : inNamespaces) {
            for (PodClass c : classesByNamespace.getOrDefault(ns, List.of())) {
                if (peer.podSelector == null || peer.podSelector.matches(c.labels)) {
                    out.set(c.index);
                }
            }
        }
        return out;
    }

    private volatile Map<String, Peer> peerNames;

    /** Workload peers by display name and by {@code namespace/name} when that is unambiguous. */
    Map<String, Peer> peerNames() {
        Map<String, Peer> names = peerNames;
        if (names == null) {
            names = computePeerNames();
            peerNames = names;
        }
        return names;
    }

    private Map<String, Peer> computePeerNames() {
        Map<String, Peer> out = new LinkedHashMap<>();
        Map<String, Integer> shortCount = new HashMap<>();
        for (Peer p : peers.keySet()) {
            shortCount.merge(p.namespace() + "/" + p.name(), 1, Integer::sum);
        }
        for (Peer p : peers.keySet()) {
            out.put(p.display(), p);
            String shortName = p.namespace() + "/" + p.name();
            if (shortCount.get(shortName) == 1) {
                out.putIfAbsent(shortName, p);
            }
        }
        return out;
    }
}
