package io.kubeward.cluster;

import static io.kubeward.cluster.ClusterFixtures.NODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubeward.engine.Finding;
import io.kubeward.engine.NodeExposure;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ClusterAuditorTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    private ClusterAuditor auditor;
    private ClusterConnection cluster;

    @AfterEach
    void emptyTheServer() {
        server.reset();
    }

    @BeforeEach
    void setUp() {
        auditor = new ClusterAuditor(TestEngine.get());
        cluster = ClusterConnection.of(client, "mock");
    }

    static List<Finding> findings(AuditResult r, String rule, String kind, String name) {
        return r.findings().stream()
                .filter(f -> f.rule().equals(rule) && f.resource().kind().equals(kind) && f.resource().name().equals(name))
                .toList();
    }

    @Test
    void auditsTheChaptersObjectsAsOneSnapshot() {
        ClusterFixtures.seedChapter(client, "default");

        AuditResult r = auditor.audit(cluster, AuditScope.allNamespaces());

        assertFalse(r.partial(), () -> "faults: " + r.faults());
        assertEquals(1, r.objectsRead().get(ResourceKind.NODES));
        assertEquals(4, r.objectsRead().get(ResourceKind.PODS));
        assertEquals(1, r.objectsRead().get(ResourceKind.DEPLOYMENTS));
        assertEquals(0, r.objectsRead().get(ResourceKind.CLUSTER_ROLES));

        Finding hostNetwork = findings(r, "host-network", "Pod", "pod-with-host-network").get(0);
        assertEquals("spec.hostNetwork", hostNetwork.path());
        assertEquals("default", hostNetwork.resource().namespace());
        assertEquals("cluster:mock", hostNetwork.source().file());
        assertEquals(0, hostNetwork.source().line());

        Finding hostPort = findings(r, "host-port", "Pod", "kubia-hostport").get(0);
        assertEquals("spec.containers[0].ports[0].hostPort", hostPort.path());

        // two replicas binding 9000 and one node to run them
        List<Finding> replicas = findings(r, "host-port-conflict", "Deployment", "kubia");
        assertTrue(replicas.stream().anyMatch(f -> f.message().contains("only 1 node")), () -> "got " + replicas);

        // the bare pod is bound to node-1 (spec.nodeName), where the kubia replicas can only land too
        assertTrue(findings(r, "host-port-conflict", "Pod", "kubia-hostport").stream()
                .anyMatch(f -> f.message().contains("Deployment/default/kubia") && f.message().contains("node " + NODE)),
                () -> "no conflict with the bare pod: " + r.findings());

        // the Deployment's ReplicaSet and pods are reported at the Deployment, once, with their count
        assertTrue(r.findings().stream().noneMatch(f -> f.resource().kind().equals("ReplicaSet")
                || f.resource().name().startsWith("kubia-5b4f9c7d8")), () -> "owned objects reported: " + r.findings());
        assertEquals(2, r.podsAffected(replicas.get(0)));
        assertEquals(1, r.podsAffected(hostPort));
        assertEquals(2, r.podsFolded());
        assertTrue(r.findings().stream().noneMatch(f -> f.message().contains("ReplicaSet")), "no object collides with its own pods");

        NodeExposure nodePort = r.evaluation().nodeExposure().stream()
                .filter(e -> e.via() == NodeExposure.Via.NODE_PORT).findFirst().orElseThrow();
        assertEquals(30123, nodePort.port());
        assertEquals(List.of(NODE), nodePort.nodes());
        assertEquals("kubia-nodeport", nodePort.resource().name());
    }

    @Test
    void readsOnlyTheChosenNamespaceButTheWholeClusterContext() {
        ClusterFixtures.seedChapter(client, "default");
        ClusterFixtures.create(client, ClusterFixtures.namespace("other"));
        ClusterFixtures.create(client, ClusterFixtures.hostNetworkPod("other"));

        AuditResult r = auditor.audit(cluster, AuditScope.namespace("other"));

        assertFalse(r.partial());
        assertEquals(1, r.objectsRead().get(ResourceKind.PODS));
        assertEquals(1, r.objectsRead().get(ResourceKind.NODES), "nodes are read whatever the namespace");
        assertTrue(r.findings().stream().allMatch(f -> "other".equals(f.resource().namespace())
                || f.resource().kind().equals("Namespace") && f.resource().name().equals("other")),
                () -> "only namespace other is reported on: " + r.findings());
        assertEquals(1, findings(r, "host-network", "Pod", "pod-with-host-network").size());
        assertEquals(java.util.Set.of("other"), r.namespaces());

        // namespace default is context here; an audit of every namespace reports on it
        assertTrue(r.findings().stream().noneMatch(f -> f.resource().display().equals("Namespace/default")));
        AuditResult all = auditor.audit(cluster, AuditScope.allNamespaces());
        assertTrue(all.findings().stream().anyMatch(f -> f.rule().equals("missing-default-deny-ingress")
                && f.resource().display().equals("Namespace/default")), () -> "got " + all.findings());
    }

    @Test
    void theLabelSelectorNarrowsWorkloadsAndServicesOnly() {
        ClusterFixtures.seedChapter(client, "default");

        AuditResult r = auditor.audit(cluster, AuditScope.allNamespaces().withLabelSelector("app=kubia"));

        assertFalse(r.partial());
        assertTrue(findings(r, "host-network", "Pod", "pod-with-host-network").isEmpty(), "the hostNetwork pod has no app label");
        assertEquals(1, r.objectsRead().get(ResourceKind.DEPLOYMENTS));
        assertEquals(1, r.objectsRead().get(ResourceKind.SERVICES));
        assertEquals(2, r.objectsRead().get(ResourceKind.PODS), "the kubia replicas");
        assertEquals(1, r.objectsRead().get(ResourceKind.NODES), "nodes are context, not filtered");
        assertFalse(findings(r, "host-port-conflict", "Deployment", "kubia").isEmpty());
    }

    @Test
    void anEmptyClusterIsAuditedWithoutFindings() {
        AuditResult r = auditor.audit(cluster, AuditScope.allNamespaces());

        assertFalse(r.partial());
        assertTrue(r.findings().isEmpty());
        assertEquals(ResourceKind.values().length, r.objectsRead().size());
        assertNotNull(r.time());
    }
}
