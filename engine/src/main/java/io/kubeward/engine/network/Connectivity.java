package io.kubeward.engine.network;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The result of {@link NetworkPolicyAnalyzer#analyze}: which peers can connect, on which ports.
 * Immutable and thread-safe. Renders as the connlist text ({@link #connlist()}), JSON
 * ({@link #toJson()}) and Graphviz DOT ({@link #toDot()}); answers "why" with {@link #explain}.
 */
public final class Connectivity {

    final NetworkModel model;
    private final int n;
    /** Class to class, {@code [src * n + dst]}. */
    private final ConnectionSet[] pods;
    /** Source range to class, {@code [range * n + dst]}. */
    private final ConnectionSet[] fromExternal;
    /** Class to destination range, {@code [src * ranges + range]}. */
    private final ConnectionSet[] toExternal;
    private volatile List<Connection> connections;
    /** Class indexes of each workload, one shared array per workload. */
    private final Map<Peer, int[]> workloadClasses = new HashMap<>();

    Connectivity(NetworkModel model, ConnectionSet[] pods, ConnectionSet[] fromExternal, ConnectionSet[] toExternal) {
        this.model = model;
        this.n = model.classes.size();
        this.pods = pods;
        this.fromExternal = fromExternal;
        this.toExternal = toExternal;
        model.peers.forEach((p, classes) -> workloadClasses.put(p, classes.stream().toArray()));
    }

    /** The workloads, in connlist order. */
    public List<Peer> workloads() {
        return List.copyOf(model.peers.keySet());
    }

    /** The external ranges that appear as sources: the address space cut at every ingress ipBlock boundary. */
    public List<Peer> externalSources() {
        return model.sourceRanges.stream().map(Peer::external).toList();
    }

    /** The external ranges that appear as destinations: cut at every egress ipBlock boundary. */
    public List<Peer> externalDestinations() {
        return model.destinationRanges.stream().map(Peer::external).toList();
    }

    /** How many pod classes (pods no policy can tell apart) the analysis computed with. */
    public int podClassCount() {
        return n;
    }

    /**
     * What is allowed from one peer to another. Workloads are looked up by name (unknown ones allow
     * nothing). An external peer may be any range: one that lies inside a range of its direction (a
     * single address, say) gets that range's connections; one across range boundaries gets what is
     * allowed to all of its addresses. Between two external peers, or from a workload to itself,
     * it is {@link ConnectionSet#NONE}.
     */
    public ConnectionSet between(Peer source, Peer destination) {
        if (source.isExternal() && destination.isExternal()) {
            return ConnectionSet.NONE;
        }
        if (source.equals(destination)) {
            return ConnectionSet.NONE;
        }
        if (source.isExternal()) {
            BitSet dst = model.peers.get(destination);
            if (dst == null) {
                return ConnectionSet.NONE;
            }
            int[] ranges = overlapping(model.sourceRanges, source.range());
            ConnectionSet out = ConnectionSet.NONE;
            for (int d = dst.nextSetBit(0); d >= 0; d = dst.nextSetBit(d + 1)) {
                ConnectionSet toClass;
                if (ranges.length == 0) {
                    toClass = fromAddresses(source.range(), model.classes.get(d));
                } else {
                    toClass = ConnectionSet.ALL;
                    for (int e : ranges) {
                        toClass = toClass.intersect(fromExternal[e * n + d]);
                    }
                }
                out = out.union(toClass);
            }
            return out;
        }
        BitSet src = model.peers.get(source);
        if (src == null) {
            return ConnectionSet.NONE;
        }
        if (destination.isExternal()) {
            int[] ranges = overlapping(model.destinationRanges, destination.range());
            ConnectionSet out = ConnectionSet.NONE;
            int m = model.destinationRanges.size();
            for (int s = src.nextSetBit(0); s >= 0; s = src.nextSetBit(s + 1)) {
                ConnectionSet fromClass;
                if (ranges.length == 0) {
                    fromClass = toAddresses(model.classes.get(s), destination.range());
                } else {
                    fromClass = ConnectionSet.ALL;
                    for (int e : ranges) {
                        fromClass = fromClass.intersect(toExternal[s * m + e]);
                    }
                }
                out = out.union(fromClass);
            }
            return out;
        }
        BitSet dst = model.peers.get(destination);
        if (dst == null) {
            return ConnectionSet.NONE;
        }
        return between(src, dst);
    }

    private ConnectionSet between(BitSet src, BitSet dst) {
        ConnectionSet out = ConnectionSet.NONE;
        for (int s = src.nextSetBit(0); s >= 0; s = src.nextSetBit(s + 1)) {
            for (int d = dst.nextSetBit(0); d >= 0; d = dst.nextSetBit(d + 1)) {
                out = out.union(pods[s * n + d]);
            }
        }
        return out;
    }

    /** Ingress allowed from addresses of a family no ipBlock of the direction names: the rules decide alone. */
    private ConnectionSet fromAddresses(IpRange range, PodClass destination) {
        List<CompiledPolicy> isolating = model.policies(Direction.INGRESS, destination);
        if (isolating.isEmpty()) {
            return ConnectionSet.ALL;
        }
        ConnectionSet out = ConnectionSet.NONE;
        for (CompiledPolicy p : isolating) {
            for (CompiledRule r : p.ingress) {
                if (r.matchesAddresses(range)) {
                    out = out.union(r.portsFor(destination));
                }
            }
        }
        return out;
    }

    /** Egress allowed to addresses of a family no ipBlock of the direction names, as {@link #fromAddresses}. */
    private ConnectionSet toAddresses(PodClass source, IpRange range) {
        List<CompiledPolicy> isolating = model.policies(Direction.EGRESS, source);
        if (isolating.isEmpty()) {
            return ConnectionSet.ALL;
        }
        ConnectionSet out = ConnectionSet.NONE;
        for (CompiledPolicy p : isolating) {
            for (CompiledRule r : p.egress) {
                if (r.matchesAddresses(range)) {
                    out = out.union(r.unnamedPorts);
                }
            }
        }
        return out;
    }

    /** Indexes of the listed ranges that share addresses with {@code r} (none when its family is not listed). */
    private static int[] overlapping(List<IpRange> ranges, IpRange r) {
        return java.util.stream.IntStream.range(0, ranges.size()).filter(i -> ranges.get(i).overlaps(r)).toArray();
    }

    /**
     * Every ordered pair with at least one allowed connection, sorted by source then destination
     * name (byte-wise). A workload to itself and external to external are left out.
     */
    public List<Connection> connections() {
        List<Connection> c = connections;
        if (c == null) {
            c = Collections.unmodifiableList(computeConnections());
            connections = c;
        }
        return c;
    }

    private List<Connection> computeConnections() {
        // one sorted array per side; each entry is a workload (its classes) or an external range (its index)
        List<Peer> sources = new ArrayList<>(model.peers.keySet());
        sources.addAll(externalSources());
        Collections.sort(sources);
        List<Peer> destinations = new ArrayList<>(model.peers.keySet());
        destinations.addAll(externalDestinations());
        Collections.sort(destinations);
        int[][] srcClasses = classesOf(sources, model.sourceRanges);
        int[][] dstClasses = classesOf(destinations, model.destinationRanges);
        int m = model.destinationRanges.size();
        List<Connection> out = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            Peer src = sources.get(i);
            int[] sc = srcClasses[i];
            for (int j = 0; j < destinations.size(); j++) {
                Peer dst = destinations.get(j);
                int[] dc = dstClasses[j];
                ConnectionSet conn;
                if (src.isExternal()) {
                    if (dst.isExternal()) {
                        continue;
                    }
                    conn = ConnectionSet.NONE;
                    for (int d : dc) {
                        conn = conn.union(fromExternal[sc[0] * n + d]);
                    }
                } else if (dst.isExternal()) {
                    conn = ConnectionSet.NONE;
                    for (int s : sc) {
                        conn = conn.union(toExternal[s * m + dc[0]]);
                    }
                } else {
                    if (sc == dc) {
                        continue; // a workload to itself
                    }
                    if (sc.length == 1 && dc.length == 1) {
                        conn = pods[sc[0] * n + dc[0]];
                    } else {
                        conn = ConnectionSet.NONE;
                        for (int s : sc) {
                            for (int d : dc) {
                                conn = conn.union(pods[s * n + d]);
                            }
                        }
                    }
                }
                if (!conn.isEmpty()) {
                    out.add(new Connection(src, dst, conn));
                }
            }
        }
        return out;
    }

    /** For each peer: its class indexes (a workload, the same array on both sides) or its range index (external). */
    private int[][] classesOf(List<Peer> peers, List<IpRange> ranges) {
        Map<IpRange, Integer> rangeIndex = new HashMap<>();
        for (int i = 0; i < ranges.size(); i++) {
            rangeIndex.put(ranges.get(i), i);
        }
        int[][] out = new int[peers.size()][];
        for (int i = 0; i < peers.size(); i++) {
            Peer p = peers.get(i);
            out[i] = p.isExternal() ? new int[] {rangeIndex.get(p.range())} : workloadClasses.get(p);
        }
        return out;
    }

    /** The connlist text: one {@code src => dst : connections} line per connected pair, sorted. */
    public List<String> connlist() {
        List<Connection> all = connections();
        List<String> out = new ArrayList<>(all.size());
        for (Connection c : all) {
            out.add(c.line());
        }
        return out;
    }

    /**
     * The connections as a JSON array of {@code {"src": ..., "dst": ..., "conn": ...}} objects in
     * connlist order, {@code conn} in connlist text.
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder("[");
        List<Connection> all = connections();
        for (int i = 0; i < all.size(); i++) {
            Connection c = all.get(i);
            sb.append(i == 0 ? "\n" : ",\n");
            sb.append("  {\"src\": ").append(Json.quote(c.source().display()))
                    .append(", \"dst\": ").append(Json.quote(c.destination().display()))
                    .append(", \"conn\": ").append(Json.quote(c.connections().toString())).append('}');
        }
        return sb.append(all.isEmpty() ? "]\n" : "\n]\n").toString();
    }

    /**
     * A Graphviz digraph: one box per workload, grouped in a cluster per namespace, one oval per
     * external range that has a connection, one edge per connection labelled with its ports.
     */
    public String toDot() {
        List<Connection> all = connections();
        Map<String, List<Peer>> byNamespace = new TreeMap<>();
        for (Peer p : model.peers.keySet()) {
            byNamespace.computeIfAbsent(p.namespace(), k -> new ArrayList<>()).add(p);
        }
        TreeSet<Peer> external = new TreeSet<>();
        for (Connection c : all) {
            if (c.source().isExternal()) {
                external.add(c.source());
            }
            if (c.destination().isExternal()) {
                external.add(c.destination());
            }
        }
        StringBuilder sb = new StringBuilder("digraph connectivity {\n");
        sb.append("  rankdir=LR;\n  node [fontname=\"Helvetica\" fontsize=10];\n  edge [fontname=\"Helvetica\" fontsize=9];\n");
        int cluster = 0;
        for (Map.Entry<String, List<Peer>> e : byNamespace.entrySet()) {
            sb.append("  subgraph cluster_").append(cluster++).append(" {\n");
            sb.append("    label=").append(Json.quote(e.getKey())).append(";\n    style=dashed;\n");
            for (Peer p : e.getValue()) {
                sb.append("    ").append(Json.quote(p.display())).append(" [label=")
                        .append(Json.quote(p.name() + "[" + p.kind() + "]")).append(" shape=box];\n");
            }
            sb.append("  }\n");
        }
        for (Peer p : external) {
            sb.append("  ").append(Json.quote(p.display())).append(" [label=").append(Json.quote(p.range().toString()))
                    .append(" shape=ellipse style=filled fillcolor=\"#f0f0f0\"];\n");
        }
        for (Connection c : all) {
            sb.append("  ").append(Json.quote(c.source().display())).append(" -> ").append(Json.quote(c.destination().display()))
                    .append(" [label=").append(Json.quote(c.connections().toString())).append("];\n");
        }
        return sb.append("}\n").toString();
    }

    /**
     * Why a connection is allowed or denied.
     *
     * @param from a workload ({@code ns/name[Kind]}, {@code ns/name}, or the name of one of its pods as
     *             {@code ns/pod}) or an IP address
     * @param to   the same, for the destination
     * @param port the destination port, 1-65535
     * @param protocol TCP, UDP or SCTP (any case); null means TCP
     * @throws IllegalArgumentException for an unknown peer, two addresses, a bad port or protocol
     */
    public Explanation explain(String from, String to, int port, String protocol) {
        return new ConnectionExplainer(model).explain(from, to, port, protocol);
    }
}
