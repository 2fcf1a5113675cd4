package io.kubeward.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubeward.cluster.AuditFault.Reason;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.kubeward.engine.Finding;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@EnableKubernetesMockClient(crud = true)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterWatcherTest {

    static final WatchSettings FAST = WatchSettings.defaults().withSettle(Duration.ofMillis(100)).withStartTimeout(Duration.ofSeconds(20));

    static KubernetesMockServer server;
    static KubernetesClient client;

    private ClusterAuditor auditor;
    private final List<AuditResult> audits = new CopyOnWriteArrayList<>();
    private final List<AuditFault> notices = new CopyOnWriteArrayList<>();
    private ClusterWatcher watcher;

    private final ClusterWatcher.Listener recorder = new ClusterWatcher.Listener() {
        @Override
        public void onAudit(AuditResult result) {
            audits.add(result);
        }

        @Override
        public void onNotice(AuditFault notice) {
            notices.add(notice);
        }
    };

    @BeforeEach
    void setUp() {
        auditor = TestEngine.hostNamespaceAuditor();
    }

    @AfterEach
    void tearDown() {
        if (watcher != null) {
            watcher.close();
        }
        server.reset();
    }

    private boolean has(String rule, String kind, String name) {
        AuditResult r = watcher.current();
        return r.findings().stream().anyMatch(f -> f.rule().equals(rule) && f.resource().kind().equals(kind) && f.resource().name().equals(name));
    }

    private String current() {
        return "current findings: " + watcher.current().findings().stream().map(f -> f.rule() + " " + f.resource()).toList();
    }

    @Test
    void findingsAppearAndClearAsObjectsChange() {
        ClusterFixtures.create(client, ClusterFixtures.namespace("default"));
        ClusterFixtures.create(client, ClusterFixtures.node("node-1"));
        watcher = ClusterWatcher.start(ClusterConnection.of(client, "mock"), AuditScope.allNamespaces(), auditor, FAST, recorder);

        assertNotNull(watcher.current(), "start returns after the first audit");
        assertEquals(1, audits.size());
        assertTrue(watcher.current().findings().isEmpty());
        assertFalse(watcher.current().partial(), () -> "faults: " + watcher.current().faults());
        assertEquals(1, watcher.current().objectsRead().get(ResourceKind.NODES));

        ClusterFixtures.create(client, ClusterFixtures.hostNetworkPod("default"));
        Eventually.until("the hostNetwork pod is reported", () -> has("host-network", "Pod", "pod-with-host-network"), this::current);

        Deployment d = ClusterFixtures.create(client, ClusterFixtures.kubiaDeployment("default", 2, 9000));
        ReplicaSet rs = ClusterFixtures.create(client, ClusterFixtures.replicaSetOf(d, "kubia-7c9d"));
        ClusterFixtures.create(client, ClusterFixtures.podOf(rs, d.getSpec().getTemplate().getSpec(), Map.of("app", "kubia"), "kubia-7c9d-a", "node-1"));
        Eventually.until("the Deployment stands for its pod", () -> watcher.current().podsFolded() == 1
                && has("host-port-conflict", "Deployment", "kubia"), this::current);
        Finding conflict = watcher.current().findings().stream().filter(f -> f.resource().kind().equals("Deployment")).findFirst().orElseThrow();
        assertEquals(1, watcher.current().podsAffected(conflict));
        assertFalse(has("host-port", "Pod", "kubia-7c9d-a"), "the owned pod is not reported on its own");

        client.pods().inNamespace("default").withName("pod-with-host-network").delete();
        Eventually.until("the finding of the deleted pod clears", () -> !has("host-network", "Pod", "pod-with-host-network"), this::current);

        client.apps().deployments().inNamespace("default").withName("kubia")
                .edit(x -> { x.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0).setHostPort(null); return x; });
        Eventually.until("the hostPort findings clear once the template drops the hostPort",
                () -> !has("host-port", "Deployment", "kubia") && !has("host-port-conflict", "Deployment", "kubia"), this::current);
        assertTrue(notices.isEmpty(), () -> "notices: " + notices);
    }

    @Test
    void aBurstOfChangesGivesFewAudits() {
        ClusterFixtures.create(client, ClusterFixtures.namespace("default"));
        watcher = ClusterWatcher.start(ClusterConnection.of(client, "mock"), AuditScope.allNamespaces(), auditor,
                FAST.withSettle(Duration.ofMillis(500)), recorder);
        int before = audits.size();

        for (int i = 0; i < 20; i++) {
            Pod p = ClusterFixtures.hostNetworkPod("default");
            p.getMetadata().setName("agent-" + i);
            ClusterFixtures.create(client, p);
        }
        Eventually.until("all 20 pods are reported", () -> watcher.current().findings().size() == 20, this::current);

        assertTrue(audits.size() - before < 20, () -> (audits.size() - before) + " audits for 20 changes");
    }

    @Test
    void reportsAppliedFromTheWatchAreUpdatedNotDuplicated() {
        server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup("wgpolicyk8s.io").withVersion("v1alpha2")
                .withKind("PolicyReport").withPlural("policyreports").withScope("Namespaced").build());
        server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup("wgpolicyk8s.io").withVersion("v1alpha2")
                .withKind("ClusterPolicyReport").withPlural("clusterpolicyreports").withScope("Cluster").build());
        ClusterFixtures.create(client, ClusterFixtures.namespace("default"));
        ClusterFixtures.create(client, ClusterFixtures.hostNetworkPod("default"));
        PolicyReportWriter writer = new PolicyReportWriter(TestEngine.get().catalog());
        AtomicReference<ApplyResult> lastApply = new AtomicReference<>();
        watcher = ClusterWatcher.start(ClusterConnection.of(client, "mock"), AuditScope.allNamespaces(), auditor, FAST,
                result -> lastApply.set(writer.apply(result, client)));
        assertEquals(1, client.genericKubernetesResources(PolicyReportWriter.POLICY_REPORTS).inNamespace("default").list().getItems().size(),
                () -> "last apply: " + lastApply.get());

        ClusterFixtures.create(client, ClusterFixtures.kubiaHostPortPod("default"));
        Eventually.until("the report holds the new pod's findings", () -> {
            GenericKubernetesResource r = client.genericKubernetesResources(PolicyReportWriter.POLICY_REPORTS)
                    .inNamespace("default").withName("kubeward-default-0").get();
            return r != null && PolicyReportWriterTest.results(r).stream().anyMatch(x -> x.get("rule").equals("host-port"));
        }, () -> "last apply: " + lastApply.get());

        List<GenericKubernetesResource> all = client.genericKubernetesResources(PolicyReportWriter.POLICY_REPORTS).inAnyNamespace().list().getItems();
        assertEquals(List.of("kubeward-default-0"), all.stream().map(r -> r.getMetadata().getName()).toList());
        assertTrue(lastApply.get().ok(), () -> "last apply: " + lastApply.get());
    }

    @Test
    void resyncAuditsAgainWithoutChanges() {
        ClusterFixtures.create(client, ClusterFixtures.namespace("default"));
        watcher = ClusterWatcher.start(ClusterConnection.of(client, "mock"), AuditScope.allNamespaces(), auditor,
                FAST.withResync(Duration.ofMillis(300)), recorder);

        Eventually.until("three resyncs", () -> audits.size() >= 4, () -> audits.size() + " audits");
    }

    @Test
    void aKindTheAccountMayNotListIsAFaultAndTheRestIsWatched() {
        server.expect().get().withPath("/apis/rbac.authorization.k8s.io/v1/clusterroles?limit=500")
                .andReturn(403, ScriptedApiServer.status(403, "Forbidden", "clusterroles.rbac.authorization.k8s.io is forbidden").getBody().readUtf8())
                .always();
        ClusterFixtures.create(client, ClusterFixtures.namespace("default"));
        watcher = ClusterWatcher.start(ClusterConnection.of(client, "mock"), AuditScope.allNamespaces(), auditor, FAST, recorder);

        assertTrue(watcher.current().partial());
        AuditFault f = watcher.current().faults().get(0);
        assertEquals(Reason.FORBIDDEN, f.reason());
        assertEquals(ResourceKind.CLUSTER_ROLES, f.resource());
        assertTrue(f.message().contains("not allowed to list clusterroles.rbac.authorization.k8s.io (403 Forbidden"), f.message());
        assertTrue(notices.contains(f), "the fault was passed on as a notice");

        ClusterFixtures.create(client, ClusterFixtures.hostNetworkPod("default"));
        Eventually.until("pods are still watched", () -> has("host-network", "Pod", "pod-with-host-network"), this::current);
        assertTrue(watcher.current().partial(), "still partial: cluster roles are missing");
    }

    @Test
    void watchingAnUnreachableApiServerStartsWithOneClearFault() {
        io.fabric8.kubernetes.client.Config config = new io.fabric8.kubernetes.client.ConfigBuilder()
                .withMasterUrl("https://127.0.0.1:1").withTrustCerts(true).build();
        try (ClusterConnection gone = ClusterConnection.open(config, "gone", FaultsTest.QUICK)) {
            watcher = ClusterWatcher.start(gone, AuditScope.allNamespaces(), auditor, FAST, recorder);

            AuditResult r = watcher.current();
            assertTrue(r.failed(), () -> "faults: " + r.faults());
            assertEquals(1, r.faults().size(), () -> "one fault for all kinds: " + r.faults());
            AuditFault f = r.faults().get(0);
            assertEquals(Reason.UNREACHABLE, f.reason());
            assertTrue(f.message().startsWith("cannot reach the API server at https://127.0.0.1:1"), f.message());
            assertTrue(f.message().contains("the same for nodes, pods, deployments.apps"), f.message());
            watcher.close();
        }
    }

    @Test
    void closeStopsEverything() throws InterruptedException {
        ClusterFixtures.create(client, ClusterFixtures.namespace("default"));
        watcher = ClusterWatcher.start(ClusterConnection.of(client, "mock"), AuditScope.allNamespaces(), auditor, FAST, recorder);

        watcher.close();
        watcher.close();
        int after = audits.size();
        ClusterFixtures.create(client, ClusterFixtures.hostNetworkPod("default"));
        Thread.sleep(500);

        assertFalse(watcher.isRunning());
        assertEquals(after, audits.size(), "no audit after close");
    }

    @Test
    void aWatchThatExpiresWhileOpenIsListedAgain() {
        try (ScriptedApiServer api = new ScriptedApiServer(); KubernetesClient c = api.newClient()) {
            ClusterFixtures.create(c, ClusterFixtures.namespace("default"));
            AtomicInteger podWatches = new AtomicInteger();
            // the first watch of pods opens, then the API server ends it with an ERROR event: 410 Gone
            api.hook(req -> req.getPath().startsWith("/api/v1/pods") && req.getPath().contains("watch=true")
                    && podWatches.getAndIncrement() == 0
                    ? new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
                        @Override
                        public void onOpen(WebSocket ws, Response response) {
                            ws.send("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                                    + "\"message\":\"too old resource version: 1 (42)\",\"reason\":\"Expired\",\"code\":410}}");
                        }
                    })
                    : null);

            watcher = ClusterWatcher.start(ClusterConnection.of(c, "mock"), AuditScope.allNamespaces(), auditor, FAST, recorder);

            Eventually.until("the expiry is noticed", () -> notices.stream().anyMatch(n -> n.reason() == Reason.EXPIRED), () -> "notices: " + notices);
            assertEquals(ResourceKind.PODS, notices.stream().filter(n -> n.reason() == Reason.EXPIRED).findFirst().orElseThrow().resource());
            ClusterFixtures.create(c, ClusterFixtures.hostNetworkPod("default"));
            Eventually.until("pods are watched again", () -> has("host-network", "Pod", "pod-with-host-network"), this::current);
            assertFalse(watcher.current().partial(), () -> "faults: " + watcher.current().faults());
        }
    }

    @Test
    void aWatchRefusedWith410IsListedAgainAndWatchingGoesOn() {
        try (ScriptedApiServer api = new ScriptedApiServer(); KubernetesClient c = api.newClient()) {
            ClusterFixtures.create(c, ClusterFixtures.namespace("default"));
            AtomicInteger podWatches = new AtomicInteger();
            api.hook(req -> req.getPath().startsWith("/api/v1/pods") && req.getPath().contains("watch=true")
                    && podWatches.getAndIncrement() == 0
                    ? ScriptedApiServer.status(410, "Expired", "too old resource version: 1 (42)")
                    : null);

            watcher = ClusterWatcher.start(ClusterConnection.of(c, "mock"), AuditScope.allNamespaces(), auditor, FAST, recorder);

            Eventually.until("the expiry is noticed", () -> notices.stream().anyMatch(n -> n.reason() == Reason.EXPIRED), () -> "notices: " + notices);
            AuditFault expired = notices.stream().filter(n -> n.reason() == Reason.EXPIRED).findFirst().orElseThrow();
            assertEquals(ResourceKind.PODS, expired.resource());
            assertTrue(expired.message().contains("the watch of pods expired (410 Gone"), expired.message());

            ClusterFixtures.create(c, ClusterFixtures.hostNetworkPod("default"));
            Eventually.until("pods are watched again", () -> has("host-network", "Pod", "pod-with-host-network"), this::current);
            assertFalse(watcher.current().partial(), () -> "faults: " + watcher.current().faults());
            assertTrue(podWatches.get() >= 2, "a new watch was opened");
        }
    }
}
