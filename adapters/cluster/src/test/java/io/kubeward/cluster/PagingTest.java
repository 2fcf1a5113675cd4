package io.kubeward.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubeward.cluster.AuditFault.Reason;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Large lists are read in pages; an expired continue token restarts the list once. */
class PagingTest {

    static final int PODS = 130;

    static ScriptedApiServer api;
    static KubernetesClient client;

    @BeforeAll
    static void seed() {
        api = new ScriptedApiServer();
        client = api.newClient();
        ClusterFixtures.create(client, ClusterFixtures.namespace("big"));
        ClusterFixtures.create(client, ClusterFixtures.node("node-1"));
        for (int i = 0; i < PODS; i++) {
            Pod p = ClusterFixtures.hostNetworkPod("big");
            p.getMetadata().setName("pod-" + i);
            api.store(p);
        }
    }

    @AfterAll
    static void stop() {
        client.close();
        api.close();
    }

    @AfterEach
    void reset() {
        api.clearHooks();
        api.clearRequests();
    }

    private AuditResult audit(int pageSize) {
        return new ClusterAuditor(TestEngine.get())
                .audit(ClusterConnection.of(client, "paged"), AuditScope.allNamespaces().withPageSize(pageSize));
    }

    private List<String> podRequests() {
        return api.requests().stream().filter(r -> r.startsWith("GET /api/v1/pods")).toList();
    }

    @Test
    void readsEveryPageOfALargeList() {
        AuditResult r = audit(50);

        assertFalse(r.partial(), () -> "faults: " + r.faults());
        assertEquals(PODS, r.objectsRead().get(ResourceKind.PODS));
        List<String> pages = podRequests();
        assertEquals(3, pages.size(), () -> "requests: " + pages);
        assertTrue(pages.get(0).contains("limit=50") && !pages.get(0).contains("continue="), pages.get(0));
        assertTrue(pages.get(1).matches(".*continue=list\\d+-50.*"), pages.get(1));
        assertTrue(pages.get(2).matches(".*continue=list\\d+-100.*"), pages.get(2));
        Set<String> names = r.findings().stream().filter(f -> f.rule().equals("host-network"))
                .map(f -> f.resource().name()).collect(Collectors.toSet());
        assertEquals(PODS, names.size(), "one host-network finding per pod, none lost or doubled between pages");
    }

    @Test
    void anExpiredContinueTokenRestartsTheListOnce() {
        AtomicInteger expired = new AtomicInteger();
        api.hook(req -> req.getPath().startsWith("/api/v1/pods") && req.getPath().matches(".*continue=list\\d+-100.*")
                && expired.getAndIncrement() == 0
                ? ScriptedApiServer.status(410, "Expired", "The provided continue parameter is too old to display a consistent list result.")
                : null);

        AuditResult r = audit(50);

        assertFalse(r.partial(), () -> "faults: " + r.faults());
        assertEquals(PODS, r.objectsRead().get(ResourceKind.PODS), "the restarted list is complete and holds no duplicates");
        // three pages, the third refused, then three pages again from the start
        assertEquals(3 + 3, podRequests().size(), () -> "requests: " + podRequests());
    }

    @Test
    void aListThatKeepsExpiringIsAFaultOfItsKindOnly() {
        api.hook(req -> req.getPath().startsWith("/api/v1/pods") && req.getPath().contains("continue=")
                ? ScriptedApiServer.status(410, "Expired", "The provided continue parameter is too old to display a consistent list result.")
                : null);

        AuditResult r = audit(50);

        assertTrue(r.partial());
        assertEquals(1, r.faults().size(), () -> "faults: " + r.faults());
        AuditFault f = r.faults().get(0);
        assertEquals(Reason.EXPIRED, f.reason());
        assertEquals(ResourceKind.PODS, f.resource());
        assertTrue(f.message().contains("410 Gone") && f.message().contains("page size"), f.message());
        assertFalse(r.objectsRead().containsKey(ResourceKind.PODS));
        assertEquals(1, r.objectsRead().get(ResourceKind.NODES), "the other kinds are still read");
    }
}
