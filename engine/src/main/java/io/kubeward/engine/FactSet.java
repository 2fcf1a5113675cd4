package io.kubeward.engine;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.kubeward.engine.model.ClusterView;
import io.kubeward.engine.model.KubeObject;
import io.kubeward.engine.model.NodeView;
import io.kubeward.engine.model.ServiceView;
import io.kubeward.engine.model.Workload;
import io.kubeward.engine.network.NetworkFacts;
import io.kubeward.engine.psp.PodSecurityPolicyScan;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The facts of one evaluation, built once from the input objects. */
final class FactSet {

    final List<KubeObject> objects = new ArrayList<>();
    final List<Workload> workloads = new ArrayList<>();
    final List<NodeView> nodes = new ArrayList<>();
    final List<ServiceView> services = new ArrayList<>();
    final List<SkippedObject> skipped = new ArrayList<>();
    final ClusterView cluster;
    /** Namespaces, NetworkPolicies, their rules and the workloads they select, for the network rules. */
    final List<Object> network;
    final PodSecurityPolicyScan podSecurityPolicies;
    int evaluated;

    FactSet(Collection<InputObject> inputs) {
        this(inputs, true, true);
    }

    /**
     * @param network              build the network facts (the rules read them)
     * @param podSecurityPolicies build the PodSecurityPolicy facts (the rules read them)
     */
    FactSet(Collection<InputObject> inputs, boolean network, boolean podSecurityPolicies) {
        List<InputObject> policies = new ArrayList<>();
        for (InputObject in : inputs) {
            HasMetadata o = in.object();
            objects.add(new KubeObject(o, in.source()));
            Optional<Workload> w = Workload.of(o, in.source());
            if (w.isPresent()) {
                workloads.add(w.get());
                evaluated++;
            } else if (o instanceof Node n) {
                nodes.add(new NodeView(n, in.source()));
                evaluated++;
            } else if (o instanceof Service s) {
                services.add(new ServiceView(s, in.source()));
                evaluated++;
            } else if (o instanceof Namespace || o instanceof NetworkPolicy) {
                evaluated++;
            } else if (PodSecurityPolicyScan.isPolicyObject(o)) {
                policies.add(in);
                evaluated++;
            } else {
                String reason = o instanceof GenericKubernetesResource
                        ? "custom resource or kind unknown to the model: no rule evaluates it"
                        : "no rule evaluates kind " + o.getKind();
                skipped.add(new SkippedObject(in.ref(), in.locate(null), reason));
            }
        }
        cluster = new ClusterView(nodes);
        this.network = network ? NetworkFacts.of(inputs, workloads) : List.of();
        this.podSecurityPolicies = PodSecurityPolicyScan.of(podSecurityPolicies ? policies : List.of(), workloads);
    }
}
