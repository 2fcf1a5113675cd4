package io.kubeward.engine.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What the snapshot tells about the cluster's nodes, for rules that ask where pods can run. One
 * instance is in every session; without Node objects it answers from nodeName and nodeSelector alone.
 *
 * <p>Placement follows {@code nodeName}, {@code nodeSelector} and {@code spec.unschedulable}
 * (DaemonSet pods and pods with a nodeName ignore cordoning). Node affinity and taints are not
 * considered, so "can run" may be an over-estimate.
 */
public final class ClusterView {

    private final List<NodeView> nodes;

    public ClusterView(List<NodeView> nodes) {
        this.nodes = Collections.unmodifiableList(new ArrayList<>(nodes));
    }

    public List<NodeView> getNodes() {
        return nodes;
    }

    public boolean isNodesKnown() {
        return !nodes.isEmpty();
    }

    /** True when a pod of the workload may be placed on the node. */
    public boolean canRunOn(Workload w, NodeView node) {
        if (w.getNodeName() != null) {
            return w.getNodeName().equals(node.getName());
        }
        if (!Labels.matches(w.getNodeSelector(), node.getLabels())) {
            return false;
        }
        return w.isDaemonSet() || !node.isUnschedulable();
    }

    /** The known nodes a pod of the workload may be placed on (empty when no Node is known). */
    public List<NodeView> candidateNodes(Workload w) {
        List<NodeView> out = new ArrayList<>();
        for (NodeView n : nodes) {
            if (canRunOn(w, n)) {
                out.add(n);
            }
        }
        return out;
    }

    /** How many known nodes may run a pod of the workload. */
    public int countCandidateNodes(Workload w) {
        return candidateNodes(w).size();
    }

    /** True when pods of both workloads could end up on one node. */
    public boolean canShareNode(Workload a, Workload b) {
        if (a.getNodeName() != null && b.getNodeName() != null) {
            return a.getNodeName().equals(b.getNodeName());
        }
        if (isNodesKnown()) {
            for (NodeView n : nodes) {
                if (canRunOn(a, n) && canRunOn(b, n)) {
                    return true;
                }
            }
            // a pinned pod may name a node that is not in the snapshot
            return pinnedToUnknownNode(a, b) || pinnedToUnknownNode(b, a);
        }
        return Labels.compatible(a.getNodeSelector(), b.getNodeSelector());
    }

    private boolean pinnedToUnknownNode(Workload pinned, Workload other) {
        if (pinned.getNodeName() == null) {
            return false;
        }
        boolean known = nodes.stream().anyMatch(n -> Objects.equals(n.getName(), pinned.getNodeName()));
        return !known && other.getNodeName() == null;
    }

    /** Names of the nodes both could share, for messages. */
    public List<String> sharedNodeNames(Workload a, Workload b) {
        List<String> out = new ArrayList<>();
        if (a.getNodeName() != null && a.getNodeName().equals(b.getNodeName())) {
            out.add(a.getNodeName());
            return out;
        }
        for (NodeView n : nodes) {
            if (canRunOn(a, n) && canRunOn(b, n)) {
                out.add(n.getName());
            }
        }
        return out;
    }
}
