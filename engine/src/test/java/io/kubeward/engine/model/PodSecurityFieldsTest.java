package io.kubeward.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fact-model views the Pod Security Standards rules read. */
class PodSecurityFieldsTest {

    static Workload workload(io.fabric8.kubernetes.api.model.HasMetadata o) {
        return Workload.of(o, null).orElseThrow();
    }

    @Test
    void volumesNameTheirSource() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec()
                .addNewVolume().withName("none").endVolume()
                .addNewVolume().withName("logs").withNewHostPath().withPath("/var/log").endHostPath().endVolume()
                .addNewVolume().withName("share").withNewNfs().withServer("nfs").withPath("/x").endNfs().endVolume()
                .addNewVolume().withName("claim").withNewPersistentVolumeClaim().withClaimName("c").endPersistentVolumeClaim().endVolume()
                .endSpec().build();
        List<VolumeView> v = workload(pod).getVolumeSources();
        assertEquals(List.of("emptyDir", "hostPath", "nfs", "persistentVolumeClaim"), v.stream().map(VolumeView::getType).toList());
        assertEquals("spec.volumes[0]", v.get(0).getTypePath(), "a volume without a source is reported at the volume itself");
        assertEquals("spec.volumes[2].nfs", v.get(2).getTypePath());
        assertTrue(v.get(1).isHostPath());
        assertEquals("/var/log", v.get(1).getHostPathPath());
        assertEquals("", v.get(0).getHostPathPath());
        assertEquals("Pod/p", v.get(1).getResource().display(), "a volume is reported on its workload");
        assertEquals(null, v.get(1).getContainerName());
    }

    @Test
    void podFieldsOfATemplateKeepTheTemplatePaths() {
        CronJob job = new CronJobBuilder().withNewMetadata().withName("backup").endMetadata().withNewSpec()
                .withSchedule("0 * * * *").withNewJobTemplate().withNewSpec().withNewTemplate()
                .withNewMetadata().addToAnnotations("container.apparmor.security.beta.kubernetes.io/b", "unconfined").endMetadata()
                .withNewSpec().withHostUsers(false).withNewOs("linux")
                .withNewSecurityContext().addNewSysctl("net.core.somaxconn", "1024").endSecurityContext()
                .addNewContainer().withName("b").withImage("busybox").endContainer()
                .endSpec().endTemplate().endSpec().endJobTemplate().endSpec().build();
        Workload w = workload(job);
        assertEquals("spec.jobTemplate.spec.template.metadata.annotations.x", w.podMetadataPath("annotations.x"));
        FieldValue annotation = w.getPodAnnotationFields().get(0);
        assertEquals("spec.jobTemplate.spec.template.metadata.annotations.container.apparmor.security.beta.kubernetes.io/b", annotation.getPath());
        assertEquals("unconfined", annotation.getValue());
        FieldValue sysctl = w.getSysctls().get(0);
        assertEquals("spec.jobTemplate.spec.template.spec.securityContext.sysctls[0].name", sysctl.getPath());
        assertEquals("net.core.somaxconn", sysctl.getName());
        assertEquals("1024", sysctl.getValue());
        assertTrue(w.hasPodAnnotationWithPrefix("container.apparmor.security.beta.kubernetes.io/"));
        assertFalse(w.hasPodAnnotationWithPrefix("container.seccomp.security.alpha.kubernetes.io/"));
        assertEquals(List.of(annotation), w.getPodAnnotationFields("container.apparmor."));
        assertEquals(List.of(), w.getPodAnnotationFields("seccomp."));
        assertTrue(w.isUserNamespaced());
        assertEquals("linux", w.getOsName());
        assertFalse(w.isWindows());
    }

    @Test
    void unsetPodFieldsReadAsEmpty() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec()
                .addNewContainer().withName("c").endContainer().endSpec().build();
        Workload w = workload(pod);
        assertEquals("metadata", w.podMetadataPath(""));
        assertEquals(List.of(), w.getSysctls());
        assertEquals(List.of(), w.getPodAnnotationFields());
        assertEquals(List.of(), w.getVolumeSources());
        assertEquals("", w.getOsName());
        assertFalse(w.isUserNamespaced());
        ContainerView c = w.getContainers().get(0);
        assertEquals(List.of(), c.getProbeAndLifecycleHosts());
        assertEquals(List.of(), c.getCapabilitiesAddEntries());
        assertFalse(c.isDropsAllCapabilities());
    }

    @Test
    void probeAndLifecycleHostsAndCapabilitiesCarryTheirPaths() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec()
                .addNewContainer().withName("c")
                .withNewLivenessProbe().withNewHttpGet().withHost("").withPort(new IntOrString(80)).endHttpGet().endLivenessProbe()
                .withNewReadinessProbe().withNewTcpSocket().withHost("10.0.0.1").withPort(new IntOrString(80)).endTcpSocket().endReadinessProbe()
                .withNewLifecycle().withNewPreStop().withNewHttpGet().withHost("metadata").withPort(new IntOrString(80)).endHttpGet().endPreStop().endLifecycle()
                .withNewSecurityContext().withNewCapabilities().addToAdd("NET_ADMIN", "CHOWN").addToDrop("ALL").endCapabilities().endSecurityContext()
                .endContainer().endSpec().build();
        ContainerView c = workload(pod).getContainers().get(0);
        assertEquals(List.of(
                        new FieldValue("spec.containers[0].readinessProbe.tcpSocket.host", "readinessProbe.tcpSocket", "10.0.0.1"),
                        new FieldValue("spec.containers[0].lifecycle.preStop.httpGet.host", "lifecycle.preStop.httpGet", "metadata")),
                c.getProbeAndLifecycleHosts(), "an empty host is the same as none");
        assertEquals("spec.containers[0].securityContext.capabilities.add[1]", c.getCapabilitiesAddEntries().get(1).getPath());
        assertEquals("CHOWN", c.getCapabilitiesAddEntries().get(1).getValue());
        assertTrue(c.isDropsAllCapabilities());
    }
}
