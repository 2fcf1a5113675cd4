package io.kubeward.benchmarks;

import io.fabric8.kubernetes.api.model.AppArmorProfileBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SELinuxOptionsBuilder;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.SysctlBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.kubeward.engine.InputObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Deployments for the benchmark, made from a seed: each pod template has two containers and one
 * init container, with ports, probes, resources and volumes. Half of them meet the restricted
 * profile; the other half carry one to three violations picked from every control.
 */
final class PodTemplates {

    private PodTemplates() {
    }

    static List<InputObject> generate(int count, long seed) {
        return generate(count, seed, i -> "bench");
    }

    /** As {@link #generate(int, long)}, Deployment {@code i} in namespace {@code namespaceOf(i)}. */
    static List<InputObject> generate(int count, long seed, IntFunction<String> namespaceOf) {
        Random random = new Random(seed);
        List<InputObject> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Deployment d = compliant(i, namespaceOf.apply(i));
            if (random.nextBoolean()) {
                int n = 1 + random.nextInt(3);
                PodSpec spec = d.getSpec().getTemplate().getSpec();
                List<Container> all = new ArrayList<>(spec.getContainers());
                all.addAll(spec.getInitContainers());
                for (int k = 0; k < n; k++) {
                    VIOLATIONS.get(random.nextInt(VIOLATIONS.size())).apply(spec, all.get(random.nextInt(all.size())));
                }
            }
            out.add(InputObject.of(d));
        }
        return out;
    }

    private static Deployment compliant(int i, String namespace) {
        return new DeploymentBuilder()
                .withNewMetadata().withName("app-" + i).withNamespace(namespace).addToLabels("app", "app-" + i).endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().addToMatchLabels("app", "app-" + i).endSelector()
                .withNewTemplate()
                .withNewMetadata().addToLabels("app", "app-" + i).addToAnnotations("prometheus.io/scrape", "true").endMetadata()
                .withNewSpec()
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(10001L)
                .withSeccompProfile(new SeccompProfileBuilder().withType("RuntimeDefault").build()).endSecurityContext()
                .withInitContainers(container("migrate", "example.com/app:" + i, 0))
                .withContainers(container("app", "example.com/app:" + i, 8080), container("proxy", "example.com/proxy:2.1", 9090))
                .withVolumes(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build(),
                        new VolumeBuilder().withName("config").withNewConfigMap().withName("app-config").endConfigMap().build())
                .endSpec().endTemplate().endSpec().build();
    }

    private static Container container(String name, String image, int port) {
        ContainerBuilder b = new ContainerBuilder().withName(name).withImage(image)
                .addNewEnv().withName("MODE").withValue("production").endEnv()
                .withNewResources().withRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("128Mi")))
                .withLimits(Map.of("memory", new Quantity("256Mi"))).endResources()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().addToDrop("ALL").endCapabilities().endSecurityContext();
        if (port > 0) {
            b.addNewPort().withName("http").withContainerPort(port).endPort()
                    .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withPort(new IntOrString(port)).endHttpGet().endReadinessProbe()
                    .withNewLivenessProbe().withNewTcpSocket().withPort(new IntOrString(port)).endTcpSocket().endLivenessProbe();
        }
        return b.build();
    }

    /** A change that breaks the restricted profile, given the pod spec and one of its containers picked at random. */
    private interface Violation {
        void apply(PodSpec spec, Container container);
    }

    /** One change per control (some break baseline too). */
    private static final List<Violation> VIOLATIONS = List.of(
            (s, c) -> s.setHostNetwork(true),
            (s, c) -> s.setHostPID(true),
            (s, c) -> c.getSecurityContext().setPrivileged(true),
            (s, c) -> c.getSecurityContext().getCapabilities().setAdd(List.of("NET_ADMIN", "SYS_TIME")),
            (s, c) -> s.getVolumes().add(new VolumeBuilder().withName("logs").withNewHostPath().withPath("/var/log").endHostPath().build()),
            (s, c) -> s.getContainers().get(0).getPorts().get(0).setHostPort(8080),
            (s, c) -> s.getContainers().get(0).getReadinessProbe().getHttpGet().setHost("169.254.169.254"),
            (s, c) -> s.getSecurityContext().setAppArmorProfile(new AppArmorProfileBuilder().withType("Unconfined").build()),
            (s, c) -> c.getSecurityContext().setSeLinuxOptions(new SELinuxOptionsBuilder().withType("spc_t").build()),
            (s, c) -> s.getSecurityContext().setSysctls(List.of(new SysctlBuilder().withName("net.core.somaxconn").withValue("1024").build())),
            (s, c) -> s.getVolumes().add(new VolumeBuilder().withName("share").withNewNfs().withServer("nfs").withPath("/x").endNfs().build()),
            (s, c) -> c.getSecurityContext().setAllowPrivilegeEscalation(null),
            (s, c) -> c.getSecurityContext().setRunAsNonRoot(false),
            (s, c) -> s.getSecurityContext().setRunAsUser(0L),
            (s, c) -> s.getSecurityContext().setSeccompProfile(null),
            (s, c) -> c.getSecurityContext().setSeccompProfile(new SeccompProfileBuilder().withType("Unconfined").build()),
            (s, c) -> c.getSecurityContext().getCapabilities().setDrop(List.of("CHOWN")),
            (s, c) -> c.getSecurityContext().setProcMount("Unmasked"));
}
