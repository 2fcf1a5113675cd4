package io.kubeward.engine.model;

import io.fabric8.kubernetes.api.model.Node;
import io.kubeward.engine.ResourceRef;
import io.kubeward.engine.Source;
import java.util.Collections;
import java.util.Map;

/** A Node of the snapshot: its name, labels and whether new pods may be scheduled on it. */
public final class NodeView implements Subject {

    private final Node node;
    private final ResourceRef resource;
    private final Source source;

    public NodeView(Node node, Source source) {
        this.node = node;
        this.resource = ResourceRef.of(node);
        this.source = source;
    }

    public Node getNode() {
        return node;
    }

    public String getName() {
        return resource.name();
    }

    public Map<String, String> getLabels() {
        Map<String, String> l = node.getMetadata() == null ? null : node.getMetadata().getLabels();
        return l == null ? Map.of() : Collections.unmodifiableMap(l);
    }

    /** True when cordoned ({@code spec.unschedulable}): the scheduler places no new pods there. */
    public boolean isUnschedulable() {
        return node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
    }

    @Override
    public ResourceRef getResource() {
        return resource;
    }

    @Override
    public Source getSource() {
        return source;
    }

    @Override
    public String toString() {
        return resource.display();
    }
}
