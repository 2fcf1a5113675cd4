package io.kubeward.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeward.engine.ResourceRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds the objects a controller made into the controller: a Pod of a ReplicaSet of a Deployment
 * is left out and counted at the Deployment, and so is the ReplicaSet. Without this a cluster
 * audit would report every replica of a Deployment, and every old ReplicaSet of it, once each,
 * and the host-port-conflict rule would see a Deployment collide with its own pods.
 *
 * <p>An object is folded when its controller chain ({@code ownerReferences} with
 * {@code controller: true}, followed up) leads to a workload present in the snapshot; it is folded
 * into the topmost one. The uid of a reference must match the owner's when both are known, so a
 * pod of a deleted Deployment is not credited to a new one of the same name. Pods owned by a Node
 * (static pods) or by a kind the audit does not read, and pods whose owner is outside the scope,
 * stay as they are.
 */
final class OwnerFolding {

    /** Controller kinds whose pods (and ReplicaSets, Jobs) are folded into them. */
    private static final Set<String> CONTROLLERS = Set.of(
            "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicationController");

    /** Owner references are followed at most this deep (Pod → Job → CronJob is 2); guards against cycles. */
    private static final int MAX_DEPTH = 8;

    /**
     * @param kept         the objects to evaluate
     * @param podsPerOwner for every kept controller, its pods that have not terminated
     * @param podsFolded   how many pods were left out (all phases)
     * @param foldedOthers how many other objects (ReplicaSets, Jobs) were left out
     */
    record Folded(List<HasMetadata> kept, Map<ResourceRef, Integer> podsPerOwner, int podsFolded, int foldedOthers) {
    }

    private OwnerFolding() {
    }

    static Folded fold(List<HasMetadata> objects) {
        Map<String, HasMetadata> controllers = new HashMap<>();
        for (HasMetadata o : objects) {
            if (CONTROLLERS.contains(o.getKind()) && o.getMetadata() != null) {
                controllers.put(key(o.getKind(), o.getMetadata().getNamespace(), o.getMetadata().getName()), o);
            }
        }
        List<HasMetadata> kept = new ArrayList<>(objects.size());
        Map<ResourceRef, Integer> podsPerOwner = new HashMap<>();
        int podsFolded = 0;
        int others = 0;
        Map<HasMetadata, HasMetadata> topOf = new HashMap<>();
        for (HasMetadata o : objects) {
            HasMetadata top = controllers.isEmpty() ? null : topController(o, controllers);
            if (top == null) {
                kept.add(o);
            } else {
                topOf.put(o, top);
            }
        }
        for (HasMetadata o : kept) {
            if (CONTROLLERS.contains(o.getKind())) {
                podsPerOwner.put(ResourceRef.of(o), 0);
            }
        }
        for (Map.Entry<HasMetadata, HasMetadata> e : topOf.entrySet()) {
            if (e.getKey() instanceof Pod pod) {
                podsFolded++;
                if (!terminated(pod)) {
                    podsPerOwner.merge(ResourceRef.of(e.getValue()), 1, Integer::sum);
                }
            } else {
                others++;
            }
        }
        return new Folded(kept, podsPerOwner, podsFolded, others);
    }

    private static HasMetadata topController(HasMetadata o, Map<String, HasMetadata> controllers) {
        HasMetadata current = o;
        HasMetadata top = null;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            OwnerReference ref = controllerRef(current);
            if (ref == null) {
                break;
            }
            HasMetadata owner = controllers.get(key(ref.getKind(), current.getMetadata().getNamespace(), ref.getName()));
            if (owner == null || owner == o || !sameUid(ref, owner)) {
                break;
            }
            top = owner;
            current = owner;
        }
        return top;
    }

    private static OwnerReference controllerRef(HasMetadata o) {
        if (o.getMetadata() == null || o.getMetadata().getOwnerReferences() == null) {
            return null;
        }
        for (OwnerReference r : o.getMetadata().getOwnerReferences()) {
            if (Boolean.TRUE.equals(r.getController()) && r.getKind() != null && r.getName() != null) {
                return r;
            }
        }
        return null;
    }

    private static boolean sameUid(OwnerReference ref, HasMetadata owner) {
        String uid = owner.getMetadata().getUid();
        return ref.getUid() == null || ref.getUid().isEmpty() || uid == null || uid.isEmpty() || ref.getUid().equals(uid);
    }

    /** Pods that ran to completion or failed no longer run the owner's pod spec. */
    private static boolean terminated(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private static String key(String kind, String namespace, String name) {
        return kind + '/' + (namespace == null ? "" : namespace) + '/' + name;
    }
}
