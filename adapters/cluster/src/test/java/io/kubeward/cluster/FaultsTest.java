package io.kubeward.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.kubeward.cluster.AuditFault.Reason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every way the API server can fail an audit gives a fault with a clear message, marks the audit
 * partial, and ends it in bounded time. The per-test timeouts are a guard against hanging, not a
 * performance target.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultsTest {

    static final ConnectionSettings QUICK = ConnectionSettings.defaults()
            .withConnectTimeout(Duration.ofSeconds(2)).withRequestTimeout(Duration.ofSeconds(2)).withRetries(0);

    static KubernetesMockServer server;
    static KubernetesClient client;

    private ClusterAuditor auditor;

    @BeforeEach
    void setUp() {
        auditor = new ClusterAuditor(TestEngine.get());
        ClusterFixtures.seedChapter(client, "default");
    }

    @AfterEach
    void emptyTheServer() {
        server.reset();
    }

    private static AuditFault only(AuditResult r, Reason reason) {
        List<AuditFault> f = r.faults().stream().filter(x -> x.reason() == reason).toList();
        assertEquals(1, f.size(), () -> "faults: " + r.faults());
        return f.get(0);
    }

    @Test
    void missingRbacForOneKindLeavesItOutAndSaysWhatToGrant() {
        server.expect().get().withPath("/api/v1/nodes?limit=500")
                .andReturn(403, ScriptedApiServer.status(403, "Forbidden",
                        "nodes is forbidden: User \"system:serviceaccount:audit:kubeward\" cannot list resource \"nodes\" in API group \"\" at the cluster scope")
                        .getBody().readUtf8())
                .always();

        AuditResult r = auditor.audit(ClusterConnection.of(client, "mock"), AuditScope.allNamespaces());

        assertTrue(r.partial());
        assertFalse(r.failed());
        assertEquals(1, r.faults().size(), () -> "faults: " + r.faults());
        AuditFault f = only(r, Reason.FORBIDDEN);
        assertEquals(ResourceKind.NODES, f.resource());
        assertEquals(403, f.httpCode());
        assertTrue(f.message().startsWith("not allowed to list nodes (403 Forbidden: nodes is forbidden: User"), f.message());
        assertTrue(f.message().contains("deploy/auditor/clusterrole.yaml"), f.message());
        assertFalse(r.objectsRead().containsKey(ResourceKind.NODES));
        assertEquals(4, r.objectsRead().get(ResourceKind.PODS), "the other kinds are read");
        assertTrue(r.findings().stream().anyMatch(x -> x.rule().equals("host-network")));
    }

    @Test
    void refusedCredentialsStopTheAudit() {
        server.expect().get().withPath("/api/v1/namespaces?limit=500")
                .andReturn(401, ScriptedApiServer.status(401, "Unauthorized", "Unauthorized").getBody().readUtf8()).always();

        AuditResult r = auditor.audit(ClusterConnection.of(client, "mock"), AuditScope.allNamespaces());

        assertTrue(r.failed());
        AuditFault f = only(r, Reason.UNAUTHORIZED);
        assertTrue(f.message().contains("refused the credentials of 'mock' (401 Unauthorized)"), f.message());
        AuditFault rest = only(r, Reason.NOT_READ);
        assertTrue(rest.message().contains("not read: nodes, pods, deployments.apps"), rest.message());
        assertTrue(r.findings().isEmpty());
    }

    @Test
    void anUnreachableApiServerFailsTheAuditAtOnce() {
        ConnectionSettings nowhere = QUICK;
        io.fabric8.kubernetes.client.Config config = new io.fabric8.kubernetes.client.ConfigBuilder()
                .withMasterUrl("https://127.0.0.1:1").withTrustCerts(true).build();

        try (ClusterConnection cluster = ClusterConnection.open(config, "gone", nowhere)) {
            AuditResult r = auditor.audit(cluster, AuditScope.allNamespaces());

            assertTrue(r.failed());
            assertEquals(2, r.faults().size(), () -> "faults: " + r.faults());
            AuditFault f = r.faults().get(0);
            assertEquals(Reason.UNREACHABLE, f.reason());
            assertEquals(ResourceKind.NAMESPACES, f.resource());
            assertTrue(f.message().startsWith("cannot reach the API server at https://127.0.0.1:1 to list namespaces ("), f.message());
            assertTrue(f.message().endsWith("check --kubeconfig/--context and that the cluster is up"), f.message());
            assertEquals(Reason.NOT_READ, r.faults().get(1).reason());
        }
    }

    @Test
    void aStalledApiServerTimesOutAndTheAuditEnds() {
        try (ScriptedApiServer api = new ScriptedApiServer(); KubernetesClient seed = api.newClient()) {
            ClusterFixtures.seedChapter(seed, "default");
            api.hook(req -> req.getPath().startsWith("/api/v1/pods")
                    ? new MockResponse().setResponseCode(200).setBody("{\"kind\":\"PodList\",\"items\":[]}").setBodyDelay(6, TimeUnit.SECONDS)
                    : null);

            try (ClusterConnection cluster = api.connect("slow", QUICK)) {
                AuditResult r = auditor.audit(cluster, AuditScope.allNamespaces());

                assertTrue(r.partial());
                AuditFault f = only(r, Reason.TIMEOUT);
                assertEquals(ResourceKind.PODS, f.resource());
                assertTrue(f.message().contains("did not answer in time when trying to list pods in all namespaces"), f.message());
                assertEquals(1, r.objectsRead().get(ResourceKind.NODES), "what was read before stays");
                assertTrue(only(r, Reason.NOT_READ).message().contains("deployments.apps"));
            }
        }
    }

    @Test
    void anApiServerThatGoesAwayMidAuditGivesAPartialAudit() {
        ScriptedApiServer api = new ScriptedApiServer();
        try (KubernetesClient seed = api.newClient()) {
            ClusterFixtures.seedChapter(seed, "default");
        }
        api.hook(req -> {
            if (req.getPath().startsWith("/apis/apps/v1/deployments")) {
                // the API server goes down while answering: the connection drops, later ones are refused
                new Thread(api::close).start();
                return new MockResponse().setResponseCode(200).setBody("{\"kind\":\"DeploymentList\",\"items\":[]}")
                        .setBodyDelay(5, TimeUnit.SECONDS);
            }
            return null;
        });

        try (ClusterConnection cluster = api.connect("vanishing", QUICK)) {
            AuditResult r = auditor.audit(cluster, AuditScope.allNamespaces());

            assertTrue(r.partial());
            assertFalse(r.failed());
            assertEquals(4, r.objectsRead().get(ResourceKind.PODS), "pods were read before the server went away");
            assertFalse(r.objectsRead().containsKey(ResourceKind.DEPLOYMENTS));
            AuditFault f = r.faults().get(0);
            assertEquals(ResourceKind.DEPLOYMENTS, f.resource());
            assertTrue(f.reason() == Reason.UNREACHABLE || f.reason() == Reason.TIMEOUT, () -> "faults: " + r.faults());
            assertEquals(Reason.NOT_READ, r.faults().get(1).reason());
            assertTrue(r.findings().stream().anyMatch(x -> x.rule().equals("host-network")), "what was read is still evaluated");
        } finally {
            api.close();
        }
    }

    @Test
    void aServerErrorOnOneKindIsAFaultOfThatKindOnly() {
        server.expect().get().withPath("/apis/batch/v1/cronjobs?limit=500")
                .andReturn(500, ScriptedApiServer.status(500, "InternalError", "etcdserver: request timed out").getBody().readUtf8()).always();

        try (ClusterConnection cluster = ClusterConnection.open(client.getConfiguration(), "mock", QUICK)) {
            AuditResult r = auditor.audit(cluster, AuditScope.allNamespaces());

            AuditFault f = only(r, Reason.SERVER_ERROR);
            assertEquals(ResourceKind.CRON_JOBS, f.resource());
            assertTrue(f.message().contains("HTTP 500: etcdserver: request timed out"), f.message());
            assertEquals(1, r.faults().size(), () -> "faults: " + r.faults());
            assertTrue(r.objectsRead().containsKey(ResourceKind.CLUSTER_ROLE_BINDINGS), "kinds after it are read");
        }
    }

    @Test
    void aMalformedLabelSelectorIsOneClearFault() {
        try (ScriptedApiServer api = new ScriptedApiServer(); KubernetesClient c = api.newClient()) {
            api.hook(req -> req.getPath().contains("labelSelector=")
                    ? ScriptedApiServer.status(400, "BadRequest", "unable to parse requirement: found '=', expected: identifier")
                    : null);

            AuditResult r = auditor.audit(ClusterConnection.of(c, "mock"), AuditScope.allNamespaces().withLabelSelector("=oops"));

            AuditFault f = only(r, Reason.REJECTED);
            assertTrue(f.message().contains("refused the label selector '=oops'"), f.message());
            assertEquals(1, r.faults().size(), () -> "faults: " + r.faults());
            assertTrue(r.objectsRead().containsKey(ResourceKind.NODES));
        }
    }
}
