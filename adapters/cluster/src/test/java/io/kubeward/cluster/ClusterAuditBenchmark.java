package io.kubeward.cluster;

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
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Audit wall time and peak heap for 1,000, 2,000, 5,000 and 10,000 pods: 10 pods per workload
 * (Deployments with their ReplicaSets, StatefulSets, Jobs) in 50 namespaces, 100 Nodes, a Service per
 * workload (a tenth of them NodePorts) and two NetworkPolicies per namespace, with pods as large as
 * real ones (two containers, env, probes, resources, volumes, status). The API server is fabric8's
 * mock server in this JVM, serving paged lists of 500; its work and its store count in the figures.
 *
 * <p>Run with {@code mvn -o -B -pl adapters/cluster -am test -Dtest=ClusterAuditBenchmark
 * -Dkubeward.bench=true -Dsurefire.failIfNoSpecifiedTests=false -DargLine=-Xmx1g}, or its
 * {@link #main}. Target: 10,000 pods in under 20 s and under 1 GiB of heap.
 */
@EnabledIfSystemProperty(named = "kubeward.bench", matches = "true")
class ClusterAuditBenchmark {

    static final int NAMESPACES = 50;
    static final int NODES = 100;
    static final int PODS_PER_WORKLOAD = 10;
    static final int[] SIZES = {1_000, 2_000, 5_000, 10_000};
    static final int RUNS = 3;

    public static void main(String[] args) {
        new ClusterAuditBenchmark().auditTimeAndHeapBySize();
    }

    @Test
    void auditTimeAndHeapBySize() {
        try (ScriptedApiServer api = new ScriptedApiServer(); KubernetesClient client = api.newClient()) {
            long t = System.nanoTime();
            for (int i = 0; i < NAMESPACES; i++) {
                api.store(new NamespaceBuilder().withNewMetadata().withName(ns(i)).addToLabels("team", "team-" + i)
                        .addToLabels("kubernetes.io/metadata.name", ns(i)).endMetadata().build());
                api.store(denyAll(ns(i)));
                api.store(allowSameNamespace(ns(i)));
            }
            for (int i = 0; i < NODES; i++) {
                api.store(node(i));
            }
            ClusterAuditor auditor = new ClusterAuditor(TestEngine.get());
            ClusterConnection cluster = ClusterConnection.of(client, "bench");
            System.out.printf("engine built and context seeded in %d ms; pod JSON ~%d bytes%n",
                    (System.nanoTime() - t) / 1_000_000, new KubernetesSerialization().asJson(samplePod()).length());
            System.out.println("pods   workloads objects findings  read ms  eval ms  total ms  peak heap MiB  heap before MiB");
            int workloads = 0;
            for (int size : SIZES) {
                t = System.nanoTime();
                int target = size / PODS_PER_WORKLOAD;
                for (; workloads < target; workloads++) {
                    seedWorkload(api, workloads);
                }
                long seedMs = (System.nanoTime() - t) / 1_000_000;
                if (size == SIZES[0]) {
                    for (int i = 0; i < 3; i++) {
                        auditor.audit(cluster, AuditScope.allNamespaces()); // warm-up: JIT, first unmarshal
                    }
                }
                long[] read = new long[RUNS];
                long[] eval = new long[RUNS];
                long peak = 0;
                long before = 0;
                AuditResult result = null;
                for (int run = 0; run < RUNS; run++) {
                    result = null;
                    System.gc();
                    before = Math.max(before, heapUsed());
                    resetPeaks();
                    long t0 = System.nanoTime();
                    ClusterSnapshot snapshot = auditor.read(cluster, AuditScope.allNamespaces());
                    long t1 = System.nanoTime();
                    result = auditor.evaluate(snapshot);
                    long t2 = System.nanoTime();
                    peak = Math.max(peak, heapPeak());
                    read[run] = (t1 - t0) / 1_000_000;
                    eval[run] = (t2 - t1) / 1_000_000;
                    if (result.partial() || result.objectsRead().get(ResourceKind.PODS) != size) {
                        throw new AssertionError("incomplete audit at " + size + " pods: " + result.faults());
                    }
                }
                long[] total = new long[RUNS];
                for (int i = 0; i < RUNS; i++) {
                    total[i] = read[i] + eval[i];
                }
                if (size == SIZES[SIZES.length - 1]) {
                    Map<String, Long> byRule = new java.util.TreeMap<>();
                    result.findings().forEach(f -> byRule.merge(f.rule(), 1L, Long::sum));
                    System.out.println("findings at " + size + " pods by rule: " + byRule);
                }
                System.out.printf("%6d %9d %7d %8d %8d %8d %9d %14d %16d   (seeded in %d ms; median of %d runs)%n",
                        size, workloads, result.objectCount(), result.findings().size(), median(read), median(eval), median(total),
                        peak >> 20, before >> 20, seedMs, RUNS);
            }
            System.out.println("max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB, "
                    + Runtime.getRuntime().availableProcessors() + " processors");
        }
    }

    private static String ns(int i) {
        return "team-" + (i % NAMESPACES);
    }

    private static long median(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
    }

    private static void resetPeaks() {
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** Sum of the heap pools' peaks: an upper bound of the heap in use at any one time. */
    private static long heapPeak() {
        return heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private static long heapUsed() {
        return heapPools().stream().mapToLong(p -> p.getUsage().getUsed()).sum();
    }

    /** Workload {@code w}: 7 in 10 Deployments (with a ReplicaSet), 2 StatefulSets, 1 Job; 10 pods each. */
    private static void seedWorkload(ScriptedApiServer api, int w) {
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
                api.store(owner);
            }
            case 9 -> {
                owner = new JobBuilder().withNewMetadata().withName(name).withNamespace(ns).withLabels(labels).withUid(uid("job", w)).endMetadata()
                        .withNewSpec().withParallelism(PODS_PER_WORKLOAD).withCompletions(PODS_PER_WORKLOAD)
                        .withTemplate(new PodTemplateSpecBuilder(template).editSpec().withRestartPolicy("Never").endSpec().build()).endSpec().build();
                api.store(owner);
            }
            default -> {
                HasMetadata d = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(ns).withLabels(labels).withUid(uid("deploy", w)).endMetadata()
                        .withNewSpec().withReplicas(PODS_PER_WORKLOAD).withNewSelector().withMatchLabels(labels).endSelector()
                        .withTemplate(template).endSpec().build();
                api.store(d);
                owner = new ReplicaSetBuilder().withNewMetadata().withName(name + "-5f8c9").withNamespace(ns).withLabels(labels)
                        .withUid(uid("rs", w)).withOwnerReferences(ClusterFixtures.controllerRef(d)).endMetadata()
                        .withNewSpec().withReplicas(PODS_PER_WORKLOAD).withNewSelector().withMatchLabels(labels).endSelector()
                        .withTemplate(template).endSpec().build();
                api.store(owner);
            }
        }
        for (int p = 0; p < PODS_PER_WORKLOAD; p++) {
            api.store(pod(owner, template, name + "-" + p, "node-" + ((w * PODS_PER_WORKLOAD + p) % NODES)));
        }
        ServiceBuilder svc = new ServiceBuilder().withNewMetadata().withName(name).withNamespace(ns).withLabels(labels).endMetadata()
                .withNewSpec().withSelector(labels).addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(8080)).endPort().endSpec();
        if (w % 10 == 3) {
            svc.editSpec().withType("NodePort").editFirstPort().withNodePort(30000 + w % 2700).endPort().endSpec();
        }
        api.store(svc.build());
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
        OwnerReference ref = ClusterFixtures.controllerRef(owner);
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

    private static Pod samplePod() {
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
