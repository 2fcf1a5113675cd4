package io.kubeward.cluster;

import io.kubeward.engine.EvaluationResult;
import io.kubeward.engine.Finding;
import io.kubeward.engine.ResourceRef;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an audit of a live cluster found: the engine's result over the whole snapshot, the faults
 * that made the audit partial, how many objects of each kind were read, and for each workload how
 * many of its pods it stands for. Immutable.
 *
 * <p>A pod whose controller chain leads to a workload in the snapshot (Pod → ReplicaSet →
 * Deployment, Pod → Job → CronJob, …) is not evaluated on its own: its owner's findings stand for
 * it, and {@link #podsAffected(Finding)} says for how many pods. A pod without such an owner (a
 * bare pod, a static pod, a pod of an owner outside the scope) is reported as itself.
 *
 * @param cluster      the cluster's name
 * @param scope        what was read
 * @param time         when the snapshot was read
 * @param evaluation   the findings, node exposure and skipped objects
 * @param faults       what could not be read; non-empty means the audit is partial
 * @param objectsRead  objects read per kind
 * @param podsPerOwner for every evaluated controller (Deployment, ReplicaSet, StatefulSet, DaemonSet,
 *                     Job, CronJob, ReplicationController), how many pods that have not terminated
 *                     it owns, directly or through the ReplicaSets and Jobs it controls
 * @param podsFolded   how many pods were reported at their owner instead of on their own
 * @param namespaces   the namespaces the audit covers (see {@link ClusterSnapshot#namespaces()})
 * @param uids         the uid of every evaluated object, for reports that reference objects
 */
public record AuditResult(
        String cluster,
        AuditScope scope,
        Instant time,
        EvaluationResult evaluation,
        List<AuditFault> faults,
        Map<ResourceKind, Integer> objectsRead,
        Map<ResourceRef, Integer> podsPerOwner,
        int podsFolded,
        Set<String> namespaces,
        Map<ResourceRef, String> uids) {

    public AuditResult {
        Objects.requireNonNull(evaluation, "evaluation");
        faults = List.copyOf(faults);
        objectsRead = objectsRead.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(objectsRead));
        podsPerOwner = Map.copyOf(podsPerOwner);
        namespaces = Set.copyOf(namespaces);
        uids = Map.copyOf(uids);
    }

    /** True when part of the cluster could not be read: the findings may be incomplete. */
    public boolean partial() {
        return !faults.isEmpty();
    }

    /** True when nothing at all could be read (the API server unreachable, say). */
    public boolean failed() {
        return objectsRead.isEmpty() && !faults.isEmpty();
    }

    public List<Finding> findings() {
        return evaluation.findings();
    }

    /** The source label findings carry: {@code cluster:<name>}. */
    public String sourceLabel() {
        return "cluster:" + cluster;
    }

    /** How many pods a finding stands for: 1 for a Pod, the owner's pod count for a workload. */
    public int podsAffected(Finding finding) {
        return podsAffected(finding.resource());
    }

    /** How many pods an object stands for: 1 for a Pod, its pod count for a workload, else 0. */
    public int podsAffected(ResourceRef resource) {
        if ("Pod".equals(resource.kind())) {
            return 1;
        }
        return podsPerOwner.getOrDefault(resource, 0);
    }

    /** The uid of an evaluated object, or null when unknown. */
    public String uid(ResourceRef resource) {
        return uids.get(resource);
    }

    /** Total objects read. */
    public int objectCount() {
        return objectsRead.values().stream().mapToInt(Integer::intValue).sum();
    }
}
