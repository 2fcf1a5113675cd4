package io.kubeward.benchmarks;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tidy synthetic cluster, made from numbers alone: {@value #NAMESPACES} namespaces with a default-deny
 * and an allow-same-namespace NetworkPolicy each, {@value #NODES} Nodes, and workloads of
 * {@value #PODS_PER_WORKLOAD} pods (7 in 10 Deployments with their ReplicaSet, 2 StatefulSets, 1 Job)
 * with a Service each (a tenth NodePorts). Pods are as large as real ones (two containers, env,
 * probes, resources, volumes, status); 7 % of the workloads use hostPorts or hostNetwork. The
 * cluster audit benchmark serves it from the mock API server; the snapshot benchmark hands it to
 * the engine directly.
 */
final class ClusterFixture {

    static final int NAMESPACES = 50;
    static final int NODES = 100;
    static final int PODS_PER_WORKLOAD = 10;

    private ClusterFixture() {
    }

    /** The namespaces with their policies, and the Nodes. */
    static List<HasMetadata> base() {
        List<HasMetadata> out = new ArrayList<>();
        for (int i = 0; i < NAMESPACES; i++) {
            out.add(new NamespaceBuilder().withNewMetadata().withName(ns(i)).addToLabels("team", "team-" + i)
                    .addToLabels("kubernetes.io/metadata.name", ns(i)).endMetadata().build());
            out.add(denyAll(ns(i)));
            out.add(allowSameNamespace(ns(i)));
        }
        for (int i = 0; i < NODES; i++) {
            out.add(node(i));
        }
        return out;
    }

    /** A whole cluster of {@code pods} pods (a multiple of {@value #PODS_PER_WORKLOAD}). */
    static List<HasMetadata> cluster(int pods) {
        List<HasMetadata> out = base();
        for (int w = 0; w < pods / PODS_PER_WORKLOAD; w++) {
            out.addAll(workload(w));
        }
        return out;
    }

    private static String ns(int i) {
        return "team-" + (i % NAMESPACES);
    }

    static OwnerReference controllerRef(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    /** Workload {@code w}: 7 in 10 Deployments (with a ReplicaSet), 2 StatefulSets, 1 Job; its pods and Service. */
    static List<HasMetadata> workload(int w) {
        List<HasMetadata> out = new ArrayList<>();
        String ns = ns(w);
        String name = "app-" + w;
        Map<String, String> labels = Map.of("app", name, "team", ns, "app.kubernetes.io/part-of", "shop");
        boolean hostPort = w % 20 == 0;
        boolean hostNetwork = w % 50 == 1;
        PodTemplateSpec template = new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels)
                .addToAnnotations("prometheus.io/scrape", "true").endMetadata()
                .withSpec(podSpec(w, hostPort, hostNetwork)).build();
        HasMetadata owner;
        switch (w % 10) {
            case 7, 8 -> {
                owner = new StatefulSetBuilder().withNewMetadata().withName(name).withNamespace(ns).withLabels(labels).withUid(uid("sts", w)).endMetadata()
                        .withNewSpec().withReplicas(PODS_PER_WORKLOAD).withServiceName(name).withNewSelector().withMatchLabels(labels).endSelector()
                        .withTemplate(template).endSpec().build();
                out.add(owner);
            }
            case 9 -> {
                owner = new JobBuilder().withNewMetadata().withName(name).withNamespace(ns).withLabels(labels).withUid(uid("job", w)).endMetadata()
                        .withNewSpec().withParallelism(PODS_PER_WORKLOAD).withCompletions(PODS_PER_WORKLOAD)
                        .withTemplate(new PodTemplateSpecBuilder(template).editSpec().withRestartPolicy("Never").endSpec().build()).endSpec().build();
                out.add(owner);
            }
            default -> {
                HasMetadata d = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(ns).withLabels(labels).withUid(uid("deploy", w)).endMetadata()
                        .withNewSpec().withReplicas(PODS_PER_WORKLOAD).withNewSelector().withMatchLabels(labels).endSelector()
                        .withTemplate(template).endSpec().build();
                out.add(d);
                owner = new ReplicaSetBuilder().withNewMetadata().withName(name + "-5f8c9").withNamespace(ns).withLabels(labels)
                        .withUid(uid("rs", w)).withOwnerReferences(controllerRef(d)).endMetadata()
                        .withNewSpec().withReplicas(PODS_PER_WORKLOAD).withNewSelector().withMatchLabels(labels).endSelector()
                        .withTemplate(template).endSpec().build();
                out.add(owner);
            }
        }
        for (int p = 0; p < PODS_PER_WORKLOAD; p++) {
            out.add(pod(owner, template, name + "-" + p, "node-" + ((w * PODS_PER_WORKLOAD + p) % NODES)));
        }
        ServiceBuilder svc = new ServiceBuilder().withNewMetadata().withName(name).withNamespace(ns).withLabels(labels).endMetadata()
                .withNewSpec().withSelector(labels).addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(8080)).endPort().endSpec();
        if (w % 10 == 3) {
            svc.editSpec().withType("NodePort").editFirstPort().withNodePort(30000 + w % 2700).endPort().endSpec();
        }
        out.add(svc.build());
        return out;
    }

    private static String uid(String kind, int w) {
        return String.format("%08x-0000-4000-8000-%012d", kind.hashCode(), w);
    }

    private static PodSpec podSpec(int w, boolean hostPort, boolean hostNetwork) {
        List<EnvVar> env = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            env.add(new EnvVar("SETTING_" + i, "value-" + i + "-for-app-" + w, null));
        }
        Container app = new ContainerBuilder().withName("app").withImage("registry.example.com/shop/app-" + w + ":1.4." + (w % 7))
                .withImagePullPolicy("IfNotPresent")
                .addNewPort().withName("http").withContainerPort(hostNetwork ? 10_000 + w : 8080).withProtocol("TCP")
                .withHostPort(hostPort ? 20_000 + w : null).endPort()
                .withEnv(env)
                .withNewResources().addToRequests("cpu", new Quantity("250m")).addToRequests("memory", new Quantity("256Mi"))
                .addToLimits("cpu", new Quantity("1")).addToLimits("memory", new Quantity("512Mi")).endResources()
                .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withPort(new IntOrString("http")).endHttpGet()
                .withPeriodSeconds(10).endReadinessProbe()
                .withNewLivenessProbe().withNewHttpGet().withPath("/live").withPort(new IntOrString("http")).endHttpGet()
                .withInitialDelaySeconds(15).endLivenessProbe()
                .addNewVolumeMount().withName("config").withMountPath("/etc/app").withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("kube-api-access").withMountPath("/var/run/secrets/kubernetes.io/serviceaccount").withReadOnly(true).endVolumeMount()
                .withNewSecurityContext().withRunAsNonRoot(true).withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().addToDrop("ALL").endCapabilities().endSecurityContext()
                .build();
        Container sidecar = new ContainerBuilder().withName("metrics").withImage("registry.example.com/shop/exporter:0.9")
                .addNewPort().withName("metrics").withContainerPort(hostNetwork ? 11_000 + w : 9090).withProtocol("TCP").endPort()
                .withNewResources().addToRequests("cpu", new Quantity("10m")).addToRequests("memory", new Quantity("32Mi")).endResources()
                .build();
        return new PodSpecBuilder().withContainers(app, sidecar).withHostNetwork(hostNetwork ? true : null)
                .withServiceAccountName("app-" + w).withRestartPolicy("Always").withDnsPolicy("ClusterFirst").withTerminationGracePeriodSeconds(30L)
                .withSchedulerName("default-scheduler")
                .addNewVolume().withName("config").withNewConfigMap().withName("app-" + w + "-config").endConfigMap().endVolume()
                .addNewVolume().withName("kube-api-access").withNewProjected().addNewSource().withNewServiceAccountToken().withPath("token")
                .withExpirationSeconds(3607L).endServiceAccountToken().endSource().endProjected().endVolume()
                .addNewToleration().withKey("node.kubernetes.io/not-ready").withOperator("Exists").withEffect("NoExecute").withTolerationSeconds(300L).endToleration()
                .addNewToleration().withKey("node.kubernetes.io/unreachable").withOperator("Exists").withEffect("NoExecute").withTolerationSeconds(300L).endToleration()
                .build();
    }

    private static Pod pod(HasMetadata owner, PodTemplateSpec template, String name, String node) {
        OwnerReference ref = controllerRef(owner);
        PodSpec spec = new PodSpecBuilder(template.getSpec()).withNodeName(node).build();
        List<ContainerStatus> statuses = new ArrayList<>();
        for (Container c : spec.getContainers()) {
            statuses.add(new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withImageID(c.getImage() + "@sha256:0123456789abcdef")
                    .withContainerID("containerd://" + Integer.toHexString(name.hashCode()) + c.getName()).withReady(true).withRestartCount(0)
                    .withStarted(true).withNewState().withNewRunning().withStartedAt("2026-11-20T10:00:00Z").endRunning().endState().build());
        }
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(owner.getMetadata().getNamespace())
                .withLabels(template.getMetadata().getLabels()).withAnnotations(template.getMetadata().getAnnotations())
                .withOwnerReferences(ref).withUid(null).endMetadata()
                .withSpec(spec)
                .withNewStatus().withPhase("Running").withHostIP("10.0.0." + (Math.abs(node.hashCode()) % 250)).withPodIP("10.244.1.2")
                .withStartTime("2026-11-20T10:00:00Z")
                .addNewCondition().withType("Initialized").withStatus("True").endCondition()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewCondition().withType("ContainersReady").withStatus("True").endCondition()
                .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
                .withContainerStatuses(statuses).withQosClass("Burstable").endStatus()
                .build();
    }

    /** One pod as the fixture makes them, to tell the size of its JSON. */
    static Pod samplePod() {
        PodTemplateSpec t = new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "x").endMetadata()
                .withSpec(podSpec(3, false, false)).build();
        return pod(new DeploymentBuilder().withNewMetadata().withName("x").withNamespace("team-0").withUid("u").endMetadata().build(), t, "x-0", "node-0");
    }

    private static Node node(int i) {
        return new NodeBuilder().withNewMetadata().withName("node-" + i)
                .addToLabels("kubernetes.io/hostname", "node-" + i).addToLabels("kubernetes.io/os", "linux")
                .addToLabels("topology.kubernetes.io/zone", "zone-" + (i % 3)).addToLabels("node.kubernetes.io/instance-type", "m5.xlarge")
                .endMetadata()
                .withNewSpec().withPodCIDR("10.244." + i + ".0/24").endSpec()
                .withNewStatus()
                .addToCapacity("cpu", new Quantity("4")).addToCapacity("memory", new Quantity("16Gi")).addToCapacity("pods", new Quantity("110"))
                .addToAllocatable("cpu", new Quantity("3920m")).addToAllocatable("memory", new Quantity("15Gi")).addToAllocatable("pods", new Quantity("110"))
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewAddress().withType("InternalIP").withAddress("10.0.0." + i).endAddress()
                .withNewNodeInfo().withKubeletVersion("v1.31.2").withContainerRuntimeVersion("containerd://1.7.22").withOsImage("Ubuntu 24.04")
                .withArchitecture("amd64").withOperatingSystem("linux").endNodeInfo()
                .endStatus().build();
    }

    private static HasMetadata denyAll(String ns) {
        return new NetworkPolicyBuilder().withNewMetadata().withName("default-deny").withNamespace(ns).endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress", "Egress").endSpec().build();
    }

    private static HasMetadata allowSameNamespace(String ns) {
        return new NetworkPolicyBuilder().withNewMetadata().withName("allow-same-namespace").withNamespace(ns).endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().addNewIngress().addNewFrom().withNewPodSelector().endPodSelector().endFrom()
                .endIngress().withPolicyTypes("Ingress").endSpec().build();
    }
}
