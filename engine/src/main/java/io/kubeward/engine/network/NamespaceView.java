package io.kubeward.engine.network;

import io.kubeward.engine.ResourceRef;
import io.kubeward.engine.Source;
import io.kubeward.engine.model.Subject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A namespace of the snapshot: declared by a Namespace object, or implied by the workloads and
 * policies in it. Knows its NetworkPolicies and whether one of them isolates every pod.
 */
public final class NamespaceView implements Subject {

    private final String name;
    private final Map<String, String> labels;
    private final boolean declared;
    private final ResourceRef resource;
    private final Source source;
    final List<NetworkPolicyView> policies = new ArrayList<>();
    int workloads;

    NamespaceView(String name, Map<String, String> labels, boolean declared, Source source) {
        this.name = name;
        this.labels = Map.copyOf(labels);
        this.declared = declared;
        this.resource = new ResourceRef("v1", "Namespace", null, name);
        this.source = source;
    }

    public String getName() {
        return name;
    }

    /** Its labels, {@code kubernetes.io/metadata.name} included. */
    public Map<String, String> getLabels() {
        return labels;
    }

    /** True when the snapshot holds its Namespace object. */
    public boolean isDeclared() {
        return declared;
    }

    public List<NetworkPolicyView> getPolicies() {
        return Collections.unmodifiableList(policies);
    }

    public boolean isHasPolicies() {
        return !policies.isEmpty();
    }

    /** How many workloads of the snapshot run in it. */
    public int getWorkloadCount() {
        return workloads;
    }

    /**
     * True when the snapshot says enough about the namespace's network setup for coverage rules:
     * its Namespace object or one of its NetworkPolicies is in the snapshot. A lone workload
     * manifest says nothing about the policies the cluster holds.
     */
    public boolean isNetworkKnown() {
        return declared || !policies.isEmpty();
    }

    /** True when a policy with an empty podSelector isolates every pod of it for ingress. */
    public boolean isDefaultDenyIngress() {
        return policies.stream().anyMatch(p -> p.isSelectsAllPods() && p.isIsolatesIngress());
    }

    /** True when a policy with an empty podSelector isolates every pod of it for egress. */
    public boolean isDefaultDenyEgress() {
        return policies.stream().anyMatch(p -> p.isSelectsAllPods() && p.isIsolatesEgress());
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
