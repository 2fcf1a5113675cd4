package io.kubeward.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.kubeward.engine.model.ClusterView;
import io.kubeward.engine.model.ContainerKind;
import io.kubeward.engine.model.ContainerPort;
import io.kubeward.engine.model.ContainerView;
import io.kubeward.engine.model.NodeView;
import io.kubeward.engine.model.Workload;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FactModelTest {

    @Test
    void effectiveSecurityContextFallsBackToThePod() {
        Pod p = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec()
                .withNewSecurityContext().withRunAsUser(405L).withRunAsNonRoot(true).endSecurityContext()
                .addNewContainer().withName("a").withNewSecurityContext().withRunAsUser(0L).endSecurityContext().endContainer()
                .addNewContainer().withName("b").endContainer()
                .addNewInitContainer().withName("init").withNewSecurityContext().withPrivileged(true)
                .withNewCapabilities().addToAdd("SYS_TIME").endCapabilities().endSecurityContext().endInitContainer()
                .addNewEphemeralContainer().withName("debug").withNewSecurityContext().withRunAsNonRoot(false).endSecurityContext()
                .endEphemeralContainer()
                .endSpec().build();
        Workload w = Workload.of(p, null).orElseThrow();
        List<ContainerView> cs = w.getContainers();
        assertEquals(List.of("a", "b", "init", "debug"), cs.stream().map(ContainerView::getName).toList());
        ContainerView a = cs.get(0), b = cs.get(1), init = cs.get(2), debug = cs.get(3);
        assertEquals(0L, a.getRunAsUser());
        assertEquals("spec.containers[0].securityContext.runAsUser", a.securityContextPath("runAsUser"));
        assertEquals(405L, b.getRunAsUser());
        assertEquals("spec.securityContext.runAsUser", b.securityContextPath("runAsUser"));
        assertEquals(Boolean.TRUE, b.getRunAsNonRoot());
        assertEquals("spec.containers[1].securityContext.runAsGroup", b.securityContextPath("runAsGroup"),
                "unset everywhere: the container is where a fix goes");
        assertNull(b.getRunAsGroup());
        assertTrue(init.isPrivileged());
        assertEquals(ContainerKind.INIT, init.getKind());
        assertEquals("spec.initContainers[0]", init.getPath());
        assertEquals(List.of("SYS_TIME"), init.getCapabilitiesAdd());
        assertEquals(List.of(), b.getCapabilitiesDrop());
        assertFalse(b.isPrivileged());
        assertNull(b.getAllowPrivilegeEscalation());
        assertEquals(Boolean.FALSE, debug.getRunAsNonRoot());
        assertEquals("spec.ephemeralContainers[0].securityContext.runAsNonRoot", debug.securityContextPath("runAsNonRoot"));
    }

    @Test
    void everyWorkloadKindIsNormalisedToItsPodSpec() {
        var cron = new CronJobBuilder().withNewMetadata().withName("c").endMetadata().withNewSpec().withSchedule("* * * * *")
                .withNewJobTemplate().withNewSpec().withParallelism(3).withNewTemplate().withNewMetadata().addToLabels("job", "x").endMetadata()
                .withNewSpec().withHostPID(true).addNewContainer().withName("c").endContainer().endSpec()
                .endTemplate().endSpec().endJobTemplate().endSpec().build();
        Workload w = Workload.of(cron, null).orElseThrow();
        assertEquals("spec.jobTemplate.spec.template.spec", w.getPodSpecPath());
        assertEquals(3, w.getReplicas());
        assertTrue(w.isHostPID());
        assertEquals(Map.of("job", "x"), w.getPodLabels());
        assertEquals("spec.jobTemplate.spec.template.spec.containers[0]", w.getContainers().get(0).getPath());

        var ds = new DaemonSetBuilder().withNewMetadata().withName("d").endMetadata().withNewSpec().withNewTemplate().withNewSpec()
                .addNewContainer().withName("c").endContainer().endSpec().endTemplate().endSpec().build();
        Workload d = Workload.of(ds, null).orElseThrow();
        assertTrue(d.isDaemonSet());
        assertFalse(d.isReplicated());

        var dep = new DeploymentBuilder().withNewMetadata().withName("x").endMetadata().withNewSpec().withNewTemplate().withNewSpec()
                .addNewContainer().withName("c").endContainer().endSpec().endTemplate().endSpec().build();
        assertEquals(1, Workload.of(dep, null).orElseThrow().getReplicas(), "replicas default to 1");
        assertTrue(Workload.of(new ServiceBuilder().withNewMetadata().withName("s").endMetadata().build(), null).isEmpty());
    }

    @Test
    void hostNetworkMakesEveryContainerPortANodePort() {
        Pod p = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec().withHostNetwork(true)
                .addNewContainer().withName("c").addNewPort().withContainerPort(9100).endPort()
                .addNewPort().withContainerPort(53).withHostPort(53).withProtocol("UDP").endPort().endContainer().endSpec().build();
        List<ContainerPort> ports = Workload.of(p, null).orElseThrow().getContainers().get(0).getPorts();
        assertEquals(9100, ports.get(0).getNodePort());
        assertTrue(ports.get(0).isViaHostNetwork());
        assertEquals("spec.containers[0].ports[0].containerPort", ports.get(0).getNodePortPath());
        assertEquals("TCP", ports.get(0).getProtocol());
        assertEquals("spec.containers[0].ports[1].hostPort", ports.get(1).getNodePortPath());
        assertFalse(ports.get(0).collidesWith(ports.get(1)));
    }

    @Test
    void portsCollideOnTheSameTripleOrAWildcardAddress() {
        ContainerPort any = port(9000, "TCP", null);
        ContainerPort a = port(9000, "TCP", "10.0.0.1");
        ContainerPort b = port(9000, "TCP", "10.0.0.2");
        ContainerPort udp = port(9000, "UDP", null);
        assertTrue(any.collidesWith(a));
        assertTrue(a.collidesWith(port(9000, "TCP", "10.0.0.1")));
        assertFalse(a.collidesWith(b), "two specific addresses do not collide");
        assertFalse(any.collidesWith(udp), "another protocol does not collide");
        assertFalse(any.collidesWith(port(9001, "TCP", null)));
    }

    static ContainerPort port(int hostPort, String protocol, String hostIP) {
        Pod p = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec().addNewContainer().withName("c")
                .addNewPort().withContainerPort(80).withHostPort(hostPort).withProtocol(protocol).withHostIP(hostIP).endPort()
                .endContainer().endSpec().build();
        return Workload.of(p, null).orElseThrow().getContainers().get(0).getPorts().get(0);
    }

    @Test
    void placementFollowsNodeNameSelectorsAndCordons() {
        NodeView n1 = new NodeView(new NodeBuilder().withNewMetadata().withName("n1").addToLabels("disk", "ssd").endMetadata().build(), null);
        NodeView n2 = new NodeView(new NodeBuilder().withNewMetadata().withName("n2").addToLabels("disk", "hdd").endMetadata()
                .withNewSpec().withUnschedulable(true).endSpec().build(), null);
        ClusterView cluster = new ClusterView(List.of(n1, n2));
        Workload ssd = workload(Map.of("disk", "ssd"), null, false);
        Workload hdd = workload(Map.of("disk", "hdd"), null, false);
        Workload hddDaemon = workload(Map.of("disk", "hdd"), null, true);
        Workload pinnedToN2 = workload(Map.of(), "n2", false);
        assertEquals(List.of("n1"), cluster.candidateNodes(ssd).stream().map(NodeView::getName).toList());
        assertEquals(0, cluster.countCandidateNodes(hdd), "a cordoned node takes no new pods");
        assertEquals(1, cluster.countCandidateNodes(hddDaemon), "DaemonSet pods run on cordoned nodes");
        assertTrue(cluster.canRunOn(pinnedToN2, n2), "nodeName bypasses the scheduler");
        assertFalse(cluster.canShareNode(ssd, hddDaemon));
        assertTrue(cluster.canShareNode(hddDaemon, pinnedToN2));
        ClusterView unknown = new ClusterView(List.of());
        assertFalse(unknown.canShareNode(ssd, hdd), "contradicting selectors never share a node");
        assertTrue(unknown.canShareNode(ssd, workload(Map.of(), null, false)));
        assertTrue(unknown.canShareNode(ssd, pinnedToN2), "an unknown node may carry the ssd label");
    }

    static Workload workload(Map<String, String> selector, String nodeName, boolean daemon) {
        if (daemon) {
            return Workload.of(new DaemonSetBuilder().withNewMetadata().withName("ds").endMetadata().withNewSpec().withNewTemplate()
                    .withNewSpec().withNodeSelector(selector).withNodeName(nodeName).addNewContainer().withName("c").endContainer()
                    .endSpec().endTemplate().endSpec().build(), null).orElseThrow();
        }
        return Workload.of(new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec().withNodeSelector(selector)
                .withNodeName(nodeName).addNewContainer().withName("c").endContainer().endSpec().build(), null).orElseThrow();
    }

    @Test
    void nodeExposureTellsHostPortFromNodePort() {
        NodeView n1 = new NodeView(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build(), null);
        NodeView n2 = new NodeView(new NodeBuilder().withNewMetadata().withName("n2").endMetadata().build(), null);
        Pod pinned = new PodBuilder().withNewMetadata().withName("kubia-hostport").endMetadata().withNewSpec().withNodeName("n1")
                .addNewContainer().withName("kubia").addNewPort().withContainerPort(8080).withHostPort(9000).endPort().endContainer()
                .endSpec().build();
        var svc = new ServiceBuilder().withNewMetadata().withName("kubia-nodeport").endMetadata().withNewSpec().withType("NodePort")
                .addNewPort().withPort(80).withNodePort(30123).endPort().endSpec().build();
        var clusterIp = new ServiceBuilder().withNewMetadata().withName("internal").endMetadata().withNewSpec()
                .addNewPort().withPort(80).endPort().endSpec().build();
        List<InputObject> in = List.of(InputObject.of(n1.getNode()), InputObject.of(n2.getNode()), InputObject.of(pinned),
                InputObject.of(svc), InputObject.of(clusterIp));
        List<NodeExposure> ex = NodeExposureAnalyzer.analyze(new FactSet(in));
        assertEquals(2, ex.size());
        NodeExposure hostPort = ex.get(0);
        assertEquals(9000, hostPort.port());
        assertEquals(NodeExposure.Via.HOST_PORT, hostPort.via());
        assertEquals(NodeExposure.Scope.NODE, hostPort.scope());
        assertEquals(List.of("n1"), hostPort.nodes());
        NodeExposure nodePort = ex.get(1);
        assertEquals(30123, nodePort.port());
        assertEquals(NodeExposure.Scope.ALL_NODES, nodePort.scope());
        assertEquals(List.of("n1", "n2"), nodePort.nodes());
    }
}
