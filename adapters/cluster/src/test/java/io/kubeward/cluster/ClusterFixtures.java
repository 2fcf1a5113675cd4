package io.kubeward.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The objects of the "securing cluster nodes and the network" chapter, as a cluster would hold
 * them: a pod with hostNetwork, the kubia-hostport pod (containerPort 8080, hostPort 9000) bound to
 * the only node, a Deployment of two replicas with a hostPort (its ReplicaSet and pods, one of them
 * Pending because the node's port is taken), and a NodePort Service.
 */
final class ClusterFixtures {

    static final String NODE = "node-1";

    private ClusterFixtures() {
    }

    static Namespace namespace(String name) {
        return new NamespaceBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/metadata.name", name)
                .endMetadata().build();
    }

    static Node node(String name) {
        return new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name).endMetadata()
                .withNewSpec().endSpec().build();
    }

    static Pod hostNetworkPod(String ns) {
        return new PodBuilder().withNewMetadata().withName("pod-with-host-network").withNamespace(ns).endMetadata()
                .withNewSpec().withHostNetwork(true).withNodeName(NODE)
                .addNewContainer().withName("main").withImage("alpine").withCommand("/bin/sleep", "999999").endContainer()
                .endSpec().build();
    }

    static Pod kubiaHostPortPod(String ns) {
        return new PodBuilder().withNewMetadata().withName("kubia-hostport").withNamespace(ns).endMetadata()
                .withNewSpec().withNodeName(NODE)
                .addNewContainer().withName("kubia").withImage("luksa/kubia")
                .addNewPort().withContainerPort(8080).withHostPort(9000).withProtocol("TCP").endPort()
                .endContainer().endSpec().build();
    }

    static PodSpec kubiaSpec(int hostPort) {
        return new PodSpecBuilder().addNewContainer().withName("kubia").withImage("luksa/kubia")
                .addNewPort().withContainerPort(8080).withHostPort(hostPort).withProtocol("TCP").endPort()
                .endContainer().build();
    }

    static Deployment kubiaDeployment(String ns, int replicas, int hostPort) {
        return new DeploymentBuilder().withNewMetadata().withName("kubia").withNamespace(ns).addToLabels("app", "kubia").endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", "kubia").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "kubia").endMetadata().withSpec(kubiaSpec(hostPort)).endTemplate()
                .endSpec().build();
    }

    static ReplicaSet replicaSetOf(Deployment owner, String name) {
        return new ReplicaSetBuilder().withNewMetadata().withName(name).withNamespace(owner.getMetadata().getNamespace())
                .addToLabels("app", "kubia").withOwnerReferences(controllerRef(owner)).endMetadata()
                .withNewSpec().withReplicas(owner.getSpec().getReplicas()).withSelector(owner.getSpec().getSelector())
                .withTemplate(owner.getSpec().getTemplate()).endSpec().build();
    }

    /** A pod created by a controller from its template; nodeName null for a Pending pod. */
    static Pod podOf(HasMetadata owner, PodSpec template, Map<String, String> labels, String name, String nodeName) {
        PodSpec spec = new PodSpecBuilder(template).withNodeName(nodeName).build();
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(owner.getMetadata().getNamespace())
                .withLabels(labels).withOwnerReferences(controllerRef(owner)).endMetadata()
                .withSpec(spec).build();
    }

    static OwnerReference controllerRef(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    static Service nodePortService(String ns) {
        return new ServiceBuilder().withNewMetadata().withName("kubia-nodeport").withNamespace(ns).addToLabels("app", "kubia").endMetadata()
                .withNewSpec().withType("NodePort").addToSelector("app", "kubia")
                .addNewPort().withPort(80).withNewTargetPort(8080).withNodePort(30123).withProtocol("TCP").endPort()
                .endSpec().build();
    }

    static NetworkPolicy denyAll(String ns) {
        return new NetworkPolicyBuilder().withNewMetadata().withName("default-deny").withNamespace(ns).endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress").endSpec().build();
    }

    /** Creates the objects through the API and returns them as the server stored them (with uids). */
    @SafeVarargs
    static <T extends HasMetadata> List<T> create(KubernetesClient client, T... objects) {
        List<T> out = new ArrayList<>();
        for (T o : objects) {
            out.add(client.resource(o).create());
        }
        return out;
    }

    static <T extends HasMetadata> T create(KubernetesClient client, T object) {
        return client.resource(object).create();
    }

    /**
     * Seeds the chapter's cluster in namespace {@code ns}: one node, the two bare pods, the kubia
     * Deployment (2 replicas, hostPort 9000) with its ReplicaSet and two pods (one bound to the node,
     * one Pending), and the NodePort Service.
     */
    static void seedChapter(KubernetesClient client, String ns) {
        create(client, namespace(ns));
        create(client, node(NODE));
        create(client, hostNetworkPod(ns));
        create(client, kubiaHostPortPod(ns));
        Deployment d = create(client, kubiaDeployment(ns, 2, 9000));
        ReplicaSet rs = create(client, replicaSetOf(d, "kubia-5b4f9c7d8"));
        Map<String, String> labels = Map.of("app", "kubia", "pod-template-hash", "5b4f9c7d8");
        create(client, podOf(rs, d.getSpec().getTemplate().getSpec(), labels, "kubia-5b4f9c7d8-abcde", NODE));
        create(client, podOf(rs, d.getSpec().getTemplate().getSpec(), labels, "kubia-5b4f9c7d8-fghij", null));
        create(client, nodePortService(ns));
    }
}
