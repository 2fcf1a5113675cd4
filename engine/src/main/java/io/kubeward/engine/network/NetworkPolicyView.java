package io.kubeward.engine.network;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.kubeward.engine.ResourceRef;
import io.kubeward.engine.Source;
import io.kubeward.engine.model.Subject;
import io.kubeward.engine.model.Workload;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A NetworkPolicy of the snapshot, for rules: what it selects among the snapshot's workloads, the
 * directions it isolates, its rules ({@link NetworkPolicyRuleView}) and its validation problems.
 * An invalid part (a bad CIDR, a bad selector) matches nothing rather than failing the evaluation.
 */
public final class NetworkPolicyView implements Subject {

    private final CompiledPolicy policy;
    private final ResourceRef resource;
    private final List<NetworkPolicyValidationException.Problem> problems;
    private final List<Workload> selected = new ArrayList<>();
    private final List<NetworkPolicyRuleView> rules = new ArrayList<>();
    private int namespaceWorkloads;

    NetworkPolicyView(CompiledPolicy policy, List<NetworkPolicyValidationException.Problem> problems) {
        this.policy = policy;
        this.resource = ResourceRef.of(policy.object);
        this.problems = List.copyOf(problems);
        for (Direction d : Direction.values()) {
            for (CompiledRule r : policy.rules(d)) {
                rules.add(new NetworkPolicyRuleView(this, r));
            }
        }
    }

    void consider(Workload w) {
        if (NetworkModel.namespaceOf(w).equals(policy.namespace)) {
            namespaceWorkloads++;
            if (policy.podSelector.matches(w.getPodLabels())) {
                selected.add(w);
            }
        }
    }

    CompiledPolicy compiled() {
        return policy;
    }

    public NetworkPolicy getPolicy() {
        return policy.object;
    }

    /** The policy's namespace ({@code default} when unset). */
    public String getNamespace() {
        return policy.namespace;
    }

    public String getName() {
        return policy.name;
    }

    /** {@code namespace/name}. */
    public String getRef() {
        return policy.ref();
    }

    /** Its podSelector as text: {@code {app=web, tier In [a, b]}}, {@code {}} for every pod. */
    public String getPodSelectorText() {
        return policy.podSelector.toString();
    }

    /** True when its podSelector is empty: it selects every pod of its namespace. */
    public boolean isSelectsAllPods() {
        return policy.podSelector.isEmpty();
    }

    public boolean isIsolatesIngress() {
        return policy.isolatesIngress;
    }

    public boolean isIsolatesEgress() {
        return policy.isolatesEgress;
    }

    /** True when the policy selects the workload's pods. */
    public boolean selects(Workload w) {
        return NetworkModel.namespaceOf(w).equals(policy.namespace) && policy.podSelector.matches(w.getPodLabels());
    }

    /** The snapshot's workloads whose pods it selects. */
    public List<Workload> getSelectedWorkloads() {
        return Collections.unmodifiableList(selected);
    }

    /** How many workloads of the snapshot are in its namespace. */
    public int getNamespaceWorkloadCount() {
        return namespaceWorkloads;
    }

    public List<NetworkPolicyRuleView> getRules() {
        return Collections.unmodifiableList(rules);
    }

    /** What the API server would refuse in it; empty for a valid policy. */
    public List<NetworkPolicyValidationException.Problem> getProblems() {
        return problems;
    }

    public boolean isValid() {
        return problems.isEmpty();
    }

    @Override
    public ResourceRef getResource() {
        return resource;
    }

    @Override
    public Source getSource() {
        return policy.source;
    }

    @Override
    public String toString() {
        return resource.display();
    }
}
