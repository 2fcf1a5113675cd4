package io.kubeward.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The objects of one cluster as read at one time, with the faults that kept parts of it from
 * being read. Immutable.
 *
 * @param cluster the cluster's name ({@link ClusterConnection#name()})
 * @param scope   what was read
 * @param readAt  when reading finished
 * @param objects every object read
 * @param counts  how many objects of each kind were read (kinds that failed are absent)
 * @param faults  what could not be read, and why
 */
public record ClusterSnapshot(String cluster, AuditScope scope, Instant readAt, List<HasMetadata> objects,
                              Map<ResourceKind, Integer> counts, List<AuditFault> faults) {

    public ClusterSnapshot {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(readAt, "readAt");
        objects = List.copyOf(objects);
        counts = counts.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(counts));
        faults = List.copyOf(faults);
    }

    /** A snapshot of objects gathered elsewhere (a watch's caches, a test), counted by kind. */
    public static ClusterSnapshot of(String cluster, AuditScope scope, Collection<? extends HasMetadata> objects, List<AuditFault> faults) {
        Map<ResourceKind, Integer> counts = new EnumMap<>(ResourceKind.class);
        for (HasMetadata o : objects) {
            ResourceKind k = ResourceKind.ofKind(o.getKind());
            if (k != null) {
                counts.merge(k, 1, Integer::sum);
            }
        }
        return new ClusterSnapshot(cluster, scope, Instant.now(), new ArrayList<>(objects), counts, faults);
    }

    /** True when some kind could not be read. */
    public boolean partial() {
        return !faults.isEmpty();
    }

    /**
     * The namespaces the snapshot covers: the scope's namespace, or every Namespace read and every
     * namespace an object was read in.
     */
    public Set<String> namespaces() {
        Set<String> out = new TreeSet<>();
        if (scope.namespace() != null) {
            out.add(scope.namespace());
            return out;
        }
        for (HasMetadata o : objects) {
            if (o.getMetadata() == null) {
                continue;
            }
            if ("Namespace".equals(o.getKind()) && o.getMetadata().getName() != null) {
                out.add(o.getMetadata().getName());
            } else if (o.getMetadata().getNamespace() != null && !o.getMetadata().getNamespace().isEmpty()) {
                out.add(o.getMetadata().getNamespace());
            }
        }
        return out;
    }
}
