package io.kubeward.admission;

import static io.kubeward.admission.Reviews.allowed;
import static io.kubeward.admission.Reviews.message;
import static io.kubeward.admission.Reviews.warnings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubeward.admission.AdmissionMetrics.Result;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Namespace labels from fabric8's mock API server in CRUD mode: read through the informer, changes
 * seen, a namespace that does not exist, and an API server that fails, answered as the controller's
 * {@link ErrorPolicy} says.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterNamespaceLabelsTest {

    static final String ENFORCE = "pod-security.kubernetes.io/enforce";

    static KubernetesMockServer server;
    static KubernetesClient client;

    private ClusterNamespaceLabels labels;
    private KubernetesClient failFast;

    @AfterEach
    void tearDown() {
        if (labels != null) {
            labels.close();
        }
        if (failFast != null) {
            failFast.close();
        }
        server.reset();
    }

    static Namespace namespace(String name, Map<String, String> labels) {
        return new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
    }

    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    AdmissionController controller(ErrorPolicy onError) {
        return AdmissionController.builder().engine(TestEngines.shared()).auditLog(AuditLog.none()).namespaceLabels(labels)
                .config(AdmissionConfig.DEFAULT.withOnError(onError)).build();
    }

    static byte[] privilegedPodIn(String namespace) {
        Map<String, Object> tree = Reviews.tree("pod-create-privileged.json");
        Reviews.set(tree, "request.namespace", namespace);
        Reviews.set(tree, "request.object.metadata.namespace", namespace);
        return Reviews.json(tree);
    }

    @Test
    void labelsAreReadFromTheClusterAndARelabelledNamespaceIsSeen() throws Exception {
        client.namespaces().resource(namespace("team-a", Map.of(ENFORCE, "baseline", "team", "a"))).create();
        labels = ClusterNamespaceLabels.start(client);
        until("the informer has synced", labels::isReady);
        assertEquals(Map.of(ENFORCE, "baseline", "team", "a"), labels.labelsOf("team-a"));
        assertTrue(labels.inMemory("team-a"), "in the watch's cache");
        assertFalse(labels.inMemory("elsewhere"), "not in the cache: labelsOf would read it from the API server");
        AdmissionController c = controller(ErrorPolicy.DENY);
        byte[] denied = c.validate(privilegedPodIn("team-a"));
        assertFalse(allowed(denied));
        assertTrue(message(denied).contains("(enforce: baseline:latest"), message(denied));

        client.namespaces().withName("team-a").edit(ns -> new NamespaceBuilder(ns).editMetadata()
                .addToLabels(ENFORCE, "privileged").endMetadata().build());
        until("the new label is seen", () -> "privileged".equals(labels.labelsOf("team-a").get(ENFORCE)));
        assertTrue(allowed(c.validate(privilegedPodIn("team-a"))), "team-a now enforces privileged");
    }

    @Test
    void aNamespaceCreatedAfterTheStartIsReadAndAMissingOneHasNoLabels() throws Exception {
        labels = ClusterNamespaceLabels.start(client);
        until("the informer has synced", labels::isReady);
        assertEquals(Map.of(), labels.labelsOf("ghost"), "no such namespace: no labels, so the configured defaults apply");
        assertEquals(Map.of(), labels.labelsOf(null));
        assertEquals(Map.of(), labels.labelsOf(""));
        assertTrue(allowed(controller(ErrorPolicy.DENY).validate(privilegedPodIn("ghost"))), "the default configuration enforces privileged");

        client.namespaces().resource(namespace("team-b", Map.of(ENFORCE, "restricted"))).create();
        // answered from the watch once it arrives, or by reading the namespace directly before that
        assertEquals("restricted", labels.labelsOf("team-b").get(ENFORCE));
        until("the watch delivers team-b", () -> labels.inMemory("team-b"));
        assertEquals("restricted", labels.labelsOf("team-b").get(ENFORCE));
    }

    @Test
    void anApiErrorFailsTheReviewAsTheErrorPolicySays() throws Exception {
        server.expect().get().withPath("/api/v1/namespaces/broken")
                .andReturn(500, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"etcdserver: request timed out\",\"code\":500}")
                .always();
        // as kubeward serve builds its client: a failing read is not retried (the API server waits at most timeoutSeconds)
        failFast = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withRequestRetryBackoffLimit(0).build()).build();
        labels = ClusterNamespaceLabels.start(failFast);
        until("the informer has synced", labels::isReady);
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> labels.labelsOf("broken"));
        assertEquals(500, e.getCode());

        AdmissionMetrics metrics = new AdmissionMetrics();
        AdmissionController closed = AdmissionController.builder().engine(TestEngines.shared()).auditLog(AuditLog.none())
                .namespaceLabels(labels).metrics(metrics).build();
        byte[] denied = closed.validate(privilegedPodIn("broken"));
        assertFalse(allowed(denied));
        assertEquals(500, Reviews.status(denied).get("code"));
        assertTrue(message(denied).contains("etcdserver: request timed out") && message(denied).contains("onError is deny (fail closed)"),
                message(denied));
        assertEquals(1, metrics.evaluationErrors());
        assertEquals(1, metrics.requests("validate", "CREATE", "Pod", Result.ERROR, false));

        byte[] open = controller(ErrorPolicy.ALLOW).validate(privilegedPodIn("broken"));
        assertTrue(allowed(open));
        assertTrue(warnings(open).get(0).contains("etcdserver: request timed out")
                && warnings(open).get(0).contains("allowed because onError is allow (fail open)"), warnings(open).toString());
    }
}
