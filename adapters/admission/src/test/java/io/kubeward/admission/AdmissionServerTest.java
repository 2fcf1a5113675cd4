package io.kubeward.admission;

import static io.kubeward.admission.Reviews.allowed;
import static io.kubeward.admission.Reviews.answer;
import static io.kubeward.admission.Reviews.auditAnnotations;
import static io.kubeward.admission.Reviews.bytes;
import static io.kubeward.admission.Reviews.message;
import static io.kubeward.admission.Reviews.response;
import static io.kubeward.admission.Reviews.warnings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeward.admission.benchmark.LoopbackCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The webhook over real HTTPS on loopback, with API-server-shaped reviews. */
class AdmissionServerTest {

    @TempDir
    static Path dir;
    static LoopbackCertificate cert;
    static AdmissionServer server;
    static HttpClient client;
    static final AdmissionControllerTest.RecordingAuditLog AUDIT = new AdmissionControllerTest.RecordingAuditLog();

    static final Map<String, Map<String, String>> NAMESPACES = Map.of(
            "team-a", Map.of("pod-security.kubernetes.io/enforce", "baseline"),
            "warn-only", Map.of("pod-security.kubernetes.io/warn", "restricted"),
            "audit-only", Map.of("pod-security.kubernetes.io/audit", "restricted"),
            "opted-out", Map.of("pod-security.kubernetes.io/enforce", "privileged", "pod-security.kubernetes.io/warn", "privileged",
                    "pod-security.kubernetes.io/audit", "privileged"));

    @BeforeAll
    static void start() throws IOException {
        cert = LoopbackCertificate.create(dir, "webhook", "EC");
        String patch = "[{\"op\":\"add\",\"path\":\"/metadata/labels/kubeward.io~1defaulted\",\"value\":\"true\"}]";
        AdmissionController controller = AdmissionController.builder().engine(TestEngines.shared())
                .config(AdmissionConfig.DEFAULT.withMaxRequestBytes(256 * 1024))
                .namespaceLabels(NamespaceLabels.fixed(NAMESPACES)).auditLog(AUDIT)
                .defaulter(r -> new PodDefaulter.Mutation(null, patch, List.of())).build();
        server = AdmissionServer.builder(controller).address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .tls(cert.certFile(), cert.keyFile()).threads(4).start();
        client = HttpClient.newBuilder().sslContext(cert.trustingContext()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        server.stop(Duration.ofSeconds(2));
    }

    static URI uri(String path) {
        return URI.create("https://127.0.0.1:" + server.port() + path);
    }

    static HttpResponse<byte[]> post(String path, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static byte[] inNamespace(String fixture, String namespace) {
        Map<String, Object> tree = Reviews.tree(fixture);
        Reviews.set(tree, "request.namespace", namespace);
        if (((Map<?, ?>) tree.get("request")).get("object") != null) {
            Reviews.set(tree, "request.object.metadata.namespace", namespace);
        }
        return Reviews.json(tree);
    }

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource(delimiter = '|', value = {
        // fixture                            | namespace  | allowed | in the message, a warning or the audit annotation
        "pod-create-privileged.json           | team-a     | false   | message: [pss-test-privileged] container \"app\" at spec.containers[0].securityContext.privileged",
        "pod-create-privileged-v1beta1.json   | team-a     | false   | message: [pss-test-privileged]",
        "pod-create-compliant.json            | team-a     | true    | ",
        "pod-create-privileged.json           | warn-only  | true    | warning: [pss-test-run-as-non-root] container \"app\" at spec.containers[0].securityContext.runAsNonRoot",
        "pod-create-privileged-v1beta1.json   | warn-only  | true    | warning: [pss-test-privileged]",
        "pod-create-privileged.json           | audit-only | true    | audit: [pss-test-privileged]",
        "pod-create-host-network.json         | team-a     | false   | message: [host-network] at spec.hostNetwork",
        "pod-create-host-network.json         | opted-out  | true    | ",
        "deployment-create.json               | team-a     | false   | message: Deployment team-a/web is forbidden",
        "deployment-create-v1beta1.json       | warn-only  | true    | warning: at spec.template.spec.containers[0].securityContext.privileged",
        "cronjob-create.json                  | team-a     | false   | message: spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged",
        "deployment-update-template.json      | team-a     | false   | message: [pss-test-privileged]",
        "deployment-update-replicas.json      | team-a     | true    | ",
        "pod-update-image.json                | team-a     | false   | message: [pss-test-privileged]",
        "pod-update-labels.json               | team-a     | true    | ",
        "pod-ephemeralcontainers.json         | team-a     | false   | message: container \"debugger-x7k2q\" at spec.ephemeralContainers[0].securityContext.privileged",
        "pod-delete.json                      | team-a     | true    | ",
        "pod-connect-exec.json                | team-a     | true    | ",
        "pod-update-status.json               | team-a     | true    | "})
    void validatesOverHttps(String fixture, String namespace, boolean expectAllowed, String expected) throws Exception {
        byte[] body = inNamespace(fixture, namespace);
        HttpResponse<byte[]> r = post("/validate", body);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        Map<String, Object> request = answer(body);
        assertEquals(request.get("apiVersion"), answer(r.body()).get("apiVersion"));
        assertEquals(((Map<?, ?>) request.get("request")).get("uid"), response(r.body()).get("uid"));
        assertEquals(expectAllowed, allowed(r.body()), () -> new String(r.body(), StandardCharsets.UTF_8));
        if (!expectAllowed) {
            assertEquals(403, Reviews.status(r.body()).get("code"));
        }
        if (expected != null) {
            String where = expected.substring(0, expected.indexOf(':'));
            String what = expected.substring(expected.indexOf(':') + 2);
            String text = switch (where) {
                case "message" -> message(r.body());
                case "warning" -> String.join("\n", warnings(r.body()));
                default -> auditAnnotations(r.body()).getOrDefault("audit-violations", "");
            };
            assertTrue(text != null && text.contains(what), where + " lacks '" + what + "': " + text);
        } else if (expectAllowed) {
            assertEquals(List.of(), warnings(r.body()));
        }
    }

    @Test
    void mutatesOverHttps() throws Exception {
        HttpResponse<byte[]> r = post("/mutate", bytes("deployment-create.json"));
        assertEquals(200, r.statusCode());
        assertTrue(allowed(r.body()));
        assertEquals("JSONPatch", response(r.body()).get("patchType"));
        assertTrue(Reviews.patch(r.body()).contains("kubeward.io~1defaulted"));
        HttpResponse<byte[]> beta = post("/mutate", bytes("pod-create-privileged-v1beta1.json"));
        assertEquals("admission.k8s.io/v1beta1", answer(beta.body()).get("apiVersion"));
        assertEquals("JSONPatch", response(beta.body()).get("patchType"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "malformed JSON         | {\"apiVersion\": \"admission.k8s.io/v1\", | malformed JSON",
        "not an object          | \"AdmissionReview\"                       | not a JSON object",
        "empty                  | '   '                                     | the request body is empty",
        "no request             | {\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"} | request is missing",
        "no uid                 | {\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"operation\":\"CREATE\",\"kind\":{\"kind\":\"Pod\"}}} | request.uid is missing",
        "wrong shape            | {\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"1\",\"operation\":\"CREATE\",\"kind\":{\"kind\":\"Pod\",\"version\":\"v1\"},\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"spec\":{\"containers\":{\"name\":\"x\"}}}}} | request.object.spec.containers: wrong shape",
        "wrong type of uid      | {\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":{\"a\":1}}} | request.uid: wrong shape"})
    void badInputGets400WithAClearMessage(String what, String body, String expected) throws Exception {
        HttpResponse<byte[]> r = post("/validate", body.strip().getBytes(StandardCharsets.UTF_8));
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(400, r.statusCode(), what + ": " + text);
        assertTrue(text.startsWith("kubeward: ") && text.contains(expected), what + ": " + text);
        assertEquals(200, get("/healthz").statusCode(), "still serving");
    }

    @Test
    void aBodyOverTheLimitGets400() throws Exception {
        Map<String, Object> tree = Reviews.tree("pod-create-compliant.json");
        Reviews.set(tree, "request.object.metadata.annotations", Map.of("padding", "x".repeat(300 * 1024)));
        HttpResponse<byte[]> r = post("/validate", Reviews.json(tree));
        assertEquals(400, r.statusCode());
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("over the limit of 262144 bytes"));
        assertEquals(200, post("/validate", bytes("pod-create-compliant.json")).statusCode(), "still serving");
    }

    @Test
    void healthReadinessMetricsAndOtherPaths() throws Exception {
        assertEquals(200, post("/validate", inNamespace("pod-create-privileged.json", "team-a")).statusCode());
        post("/validate", "{".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, get("/healthz").statusCode());
        HttpResponse<String> ready = get("/readyz");
        assertEquals(200, ready.statusCode());
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        String m = metrics.body();
        assertTrue(m.contains("# TYPE kubeward_admission_requests_total counter"), m);
        assertTrue(m.contains("kubeward_admission_requests_total{webhook=\"validate\",operation=\"CREATE\",kind=\"Pod\",result=\"denied\",dry_run=\"false\"}"), m);
        assertTrue(m.contains("result=\"invalid\""), m);
        assertTrue(m.contains("kubeward_admission_request_duration_seconds_bucket{webhook=\"validate\",le=\"+Inf\"}"), m);
        assertTrue(m.contains("kubeward_admission_rule_evaluation_errors_total "), m);
        assertTrue(m.contains("kubeward_admission_violations_total{mode=\"enforce\",rule=\"pss-test-privileged\"}"), m);
        assertEquals(404, get("/admin").statusCode());
        assertEquals(405, get("/validate").statusCode());
    }

    @Test
    void plainHttpIsNotServed() throws Exception {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        boolean answered;
        try {
            HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            answered = r.statusCode() == 200;
        } catch (IOException e) {
            answered = false;
        }
        assertFalse(answered, "a plain HTTP request must not be answered");
        assertEquals(200, get("/healthz").statusCode());
    }
}
