package io.kubeward.engine.network;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The connections gained and lost between two snapshots. Workloads are matched by name
 * ({@code namespace/name[Kind]}); one that exists in one snapshot only has all its connections
 * gained or lost. External ranges are cut at the boundaries of both snapshots, so a range whose
 * reachability changed is named exactly.
 */
public final class ConnectivityDiff {

    /** One ordered pair whose allowed connections differ. */
    public record Change(Peer source, Peer destination, ConnectionSet before, ConnectionSet after) {

        /** What the second snapshot allows and the first did not. */
        public ConnectionSet gained() {
            return after.minus(before);
        }

        /** What the first snapshot allowed and the second does not. */
        public ConnectionSet lost() {
            return before.minus(after);
        }

        /** {@code added} (nothing was allowed before), {@code removed} (nothing is allowed now) or {@code changed}. */
        public String kind() {
            return before.isEmpty() ? "added" : after.isEmpty() ? "removed" : "changed";
        }

        /** {@code src => dst : before -> after}. */
        @Override
        public String toString() {
            return source.display() + " => " + destination.display() + " : " + before + " -> " + after;
        }
    }

    private final List<Change> changes;

    private ConnectivityDiff(List<Change> changes) {
        this.changes = Collections.unmodifiableList(changes);
    }

    public static ConnectivityDiff between(Connectivity before, Connectivity after) {
        TreeSet<Peer> workloads = new TreeSet<>(before.workloads());
        workloads.addAll(after.workloads());
        TreeSet<Peer> sources = new TreeSet<>(workloads);
        sources.addAll(refine(before.model.sourceRanges, after.model.sourceRanges));
        TreeSet<Peer> destinations = new TreeSet<>(workloads);
        destinations.addAll(refine(before.model.destinationRanges, after.model.destinationRanges));
        List<Change> out = new ArrayList<>();
        for (Peer src : sources) {
            for (Peer dst : destinations) {
                if (src.equals(dst) || (src.isExternal() && dst.isExternal())) {
                    continue;
                }
                ConnectionSet b = before.between(src, dst);
                ConnectionSet a = after.between(src, dst);
                if (!a.equals(b)) {
                    out.add(new Change(src, dst, b, a));
                }
            }
        }
        return new ConnectivityDiff(out);
    }

    /** The ranges of both lists cut at each other's boundaries (each list covers its families whole). */
    private static List<Peer> refine(List<IpRange> a, List<IpRange> b) {
        Map<Integer, TreeSet<BigInteger>> starts = new TreeMap<>();
        for (List<IpRange> list : List.of(a, b)) {
            for (IpRange r : list) {
                starts.computeIfAbsent(r.family(), k -> new TreeSet<>()).add(r.first());
            }
        }
        List<Peer> out = new ArrayList<>();
        starts.forEach((family, cuts) -> {
            List<BigInteger> s = new ArrayList<>(cuts);
            BigInteger last = IpRange.all(family).last();
            for (int i = 0; i < s.size(); i++) {
                BigInteger end = i + 1 < s.size() ? s.get(i + 1).subtract(BigInteger.ONE) : last;
                out.add(Peer.external(IpRange.of(family, s.get(i), end)));
            }
        });
        return out;
    }

    /** Every changed pair, sorted by source then destination. */
    public List<Change> changes() {
        return changes;
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** The connections the second snapshot adds, one per pair. */
    public List<Connection> gained() {
        return changes.stream().filter(c -> !c.gained().isEmpty())
                .map(c -> new Connection(c.source(), c.destination(), c.gained())).toList();
    }

    /** The connections the second snapshot takes away, one per pair. */
    public List<Connection> lost() {
        return changes.stream().filter(c -> !c.lost().isEmpty())
                .map(c -> new Connection(c.source(), c.destination(), c.lost())).toList();
    }

    /**
     * As text, in pair order: {@code - src => dst : lost} and {@code + src => dst : gained}
     * (a pair may have both).
     */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        for (Change c : changes) {
            String pair = c.source().display() + " => " + c.destination().display() + " : ";
            if (!c.lost().isEmpty()) {
                out.add("- " + pair + c.lost());
            }
            if (!c.gained().isEmpty()) {
                out.add("+ " + pair + c.gained());
            }
        }
        return out;
    }

    /**
     * A JSON array of {@code {"src", "dst", "diff": added|removed|changed, "before", "after", "gained", "lost"}},
     * connection sets in connlist text.
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            sb.append(i == 0 ? "\n" : ",\n");
            sb.append("  {\"src\": ").append(Json.quote(c.source().display()))
                    .append(", \"dst\": ").append(Json.quote(c.destination().display()))
                    .append(", \"diff\": ").append(Json.quote(c.kind()))
                    .append(", \"before\": ").append(Json.quote(c.before().toString()))
                    .append(", \"after\": ").append(Json.quote(c.after().toString()))
                    .append(", \"gained\": ").append(Json.quote(c.gained().toString()))
                    .append(", \"lost\": ").append(Json.quote(c.lost().toString())).append('}');
        }
        return sb.append(changes.isEmpty() ? "]\n" : "\n]\n").toString();
    }
}
