package io.kubeward.engine.network;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.SourceLocation;
import io.kubeward.engine.model.Workload;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the network facts of a rule session: a {@link NamespaceView} per namespace, a
 * {@link NetworkPolicyView} and its {@link NetworkPolicyRuleView}s per policy, and a
 * {@link WorkloadNetworkView} per workload. Lenient: invalid policies become facts with problems.
 */
public final class NetworkFacts {

    private static final SourceLocation NO_LOCATION = new SourceLocation(null, 0, 0);

    private NetworkFacts() {
    }

    /** The facts for these inputs; {@code workloads} are the inputs' workloads, as the engine built them. */
    public static List<Object> of(Collection<InputObject> inputs, Collection<Workload> workloads) {
        Map<String, NamespaceView> namespaces = new TreeMap<>();
        List<NetworkPolicyView> policies = new ArrayList<>();
        Map<String, SourceLocation> names = new java.util.HashMap<>();
        for (InputObject in : inputs) {
            HasMetadata o = in.object();
            if (o instanceof Namespace ns && ns.getMetadata() != null && ns.getMetadata().getName() != null) {
                String name = ns.getMetadata().getName();
                Map<String, String> labels = new TreeMap<>();
                if (ns.getMetadata().getLabels() != null) {
                    labels.putAll(ns.getMetadata().getLabels());
                }
                labels.put(NetworkModel.NAMESPACE_NAME_LABEL, name);
                namespaces.put(name, new NamespaceView(name, labels, true, in.source()));
            } else if (o instanceof NetworkPolicy np) {
                PolicyCompiler.Result r = PolicyCompiler.compile(np, in.source());
                List<NetworkPolicyValidationException.Problem> problems = new ArrayList<>(r.problems());
                SourceLocation here = in.locate("metadata.name");
                SourceLocation before = names.putIfAbsent(r.policy().ref(), here == null ? NO_LOCATION : here);
                if (before != null) {
                    problems.add(new NetworkPolicyValidationException.Problem(r.policy().ref(), "metadata.name",
                            "another NetworkPolicy named " + r.policy().name + " is in namespace " + r.policy().namespace
                                    + (before.file() == null ? "" : " (" + before.display() + ")") + "; one of them replaces the other", here));
                }
                policies.add(new NetworkPolicyView(r.policy(), problems));
            }
        }
        List<Object> facts = new ArrayList<>();
        for (NetworkPolicyView p : policies) {
            namespace(namespaces, p.getNamespace()).policies.add(p);
        }
        List<WorkloadNetworkView> views = new ArrayList<>();
        for (Workload w : workloads) {
            if ("PodTemplate".equals(w.getKind())) {
                continue; // runs no pods of its own
            }
            NamespaceView ns = namespace(namespaces, NetworkModel.namespaceOf(w));
            ns.workloads++;
            WorkloadNetworkView view = new WorkloadNetworkView(w, ns);
            for (NetworkPolicyView p : ns.policies) {
                p.consider(w);
                if (p.selects(w)) {
                    view.selectedBy.add(p);
                }
            }
            views.add(view);
        }
        facts.addAll(namespaces.values());
        for (NetworkPolicyView p : policies) {
            facts.add(p);
            facts.addAll(p.getRules());
        }
        facts.addAll(views);
        return facts;
    }

    private static NamespaceView namespace(Map<String, NamespaceView> namespaces, String name) {
        return namespaces.computeIfAbsent(name, k -> new NamespaceView(k, Map.of(NetworkModel.NAMESPACE_NAME_LABEL, k), false, null));
    }
}
