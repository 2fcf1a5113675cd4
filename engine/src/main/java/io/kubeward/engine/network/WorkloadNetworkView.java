package io.kubeward.engine.network;

import io.kubeward.engine.ResourceRef;
import io.kubeward.engine.Source;
import io.kubeward.engine.model.Subject;
import io.kubeward.engine.model.Workload;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A workload with the NetworkPolicies of the snapshot that select its pods. */
public final class WorkloadNetworkView implements Subject {

    private final Workload workload;
    private final NamespaceView namespace;
    final List<NetworkPolicyView> selectedBy = new ArrayList<>();

    WorkloadNetworkView(Workload workload, NamespaceView namespace) {
        this.workload = workload;
        this.namespace = namespace;
    }

    public Workload getWorkload() {
        return workload;
    }

    public NamespaceView getNamespace() {
        return namespace;
    }

    /** The policies that select its pods, in either direction. */
    public List<NetworkPolicyView> getSelectedBy() {
        return Collections.unmodifiableList(selectedBy);
    }

    public boolean isSelected() {
        return !selectedBy.isEmpty();
    }

    /** Path of its pods' labels, which policies select on: {@code spec.template.metadata.labels}. */
    public String getPodLabelsPath() {
        String spec = workload.getPodSpecPath();
        String prefix = spec.equals("spec") ? "" : spec.substring(0, spec.length() - "spec".length());
        return prefix + "metadata.labels";
    }

    @Override
    public ResourceRef getResource() {
        return workload.getResource();
    }

    @Override
    public Source getSource() {
        return workload.getSource();
    }

    @Override
    public String toString() {
        return workload.toString();
    }
}
