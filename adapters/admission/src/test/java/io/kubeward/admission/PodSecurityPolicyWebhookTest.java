package io.kubeward.admission;

import static io.kubeward.admission.PspFixtures.applyPatch;
import static io.kubeward.admission.PspFixtures.bytes;
import static io.kubeward.admission.PspFixtures.sentObject;
import static io.kubeward.admission.PspFixtures.with;
import static io.kubeward.admission.Reviews.allowed;
import static io.kubeward.admission.Reviews.answer;
import static io.kubeward.admission.Reviews.auditAnnotations;
import static io.kubeward.admission.Reviews.message;
import static io.kubeward.admission.Reviews.response;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeward.admission.AdmissionMetrics.Result;
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
import tools.jackson.databind.JsonNode;

/**
 * /mutate backed by the PodSecurityPolicy admission, over real HTTPS on loopback, with reviews
 * shaped as the API server sends them ({@code src/test/resources/psp}). The patch answered is
 * applied to the object as sent, as the API server does, and the result compared with the
 * defaulted object.
 *
 * <p>The policies ({@code psp/policies.yaml}): group developers (jane) may use {@code a-restricted},
 * which defaults runAsUser and fsGroup 1000, drops ALL capabilities and forbids escalation; group
 * operators may use it and {@code z-permissive}, which admits plain pods unchanged; the service
 * account team-a/agent may use {@code b-privileged} in team-a.
 */
class PodSecurityPolicyWebhookTest {

    @TempDir
    static Path dir;
    static AdmissionServer server;
    static HttpClient client;
    static final AdmissionMetrics METRICS = new AdmissionMetrics();
    static final AdmissionControllerTest.RecordingAuditLog AUDIT = new AdmissionControllerTest.RecordingAuditLog();

    @BeforeAll
    static void start() throws IOException {
        LoopbackCertificate cert = LoopbackCertificate.create(dir, "psp-webhook", "EC");
        PodSecurityPolicyDefaulter defaulter = new PodSecurityPolicyDefaulter(TestEngines.podSecurityPolicies(),
                PodSecurityPolicySource.fixed(PspFixtures.policies()));
        AdmissionController controller = AdmissionController.builder().engine(TestEngines.shared()).metrics(METRICS).auditLog(AUDIT)
                .namespaceLabels(NamespaceLabels.none()).defaulter(defaulter).build();
        server = AdmissionServer.builder(controller).address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .tls(cert.certFile(), cert.keyFile()).threads(2).start();
        client = HttpClient.newBuilder().sslContext(cert.trustingContext()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        server.stop(Duration.ofSeconds(2));
    }

    static byte[] mutate(byte[] review) throws Exception {
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/mutate"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(review)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        assertEquals(sentUid(review), response(r.body()).get("uid"));
        return r.body();
    }

    static byte[] validate(byte[] review) throws Exception {
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/validate"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(review)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        return r.body();
    }

    /** The review with its object replaced, as the API server sends it on to the validating webhooks. */
    @SuppressWarnings("unchecked")
    static byte[] withObject(byte[] review, JsonNode object) {
        return withBody(review, "request.object", PspFixtures.JSON.convertValue(object, Map.class));
    }

    static String sentUid(byte[] review) {
        return PspFixtures.tree(review).get("request").get("uid").asString();
    }

    static String text(byte[] answer) {
        return new String(answer, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // review                             | the object once patched                       | where the patch writes
        "pod-create-plain.json                | pod-create-plain.defaulted.json                | /spec/",
        "deployment-create-plain.json         | deployment-create-plain.defaulted.json         | /spec/template/spec/",
        "cronjob-create-plain.json            | cronjob-create-plain.defaulted.json            | /spec/jobTemplate/spec/template/spec/",
        "deployment-update-template-plain.json | deployment-update-template-plain.defaulted.json | /spec/template/spec/"})
    void anObjectMissingDefaultsGetsAPatchThatYieldsTheDefaultedObject(String review, String defaulted, String under) throws Exception {
        byte[] body = bytes(review);
        byte[] answer = mutate(body);
        assertTrue(allowed(answer), () -> text(answer));
        assertEquals("JSONPatch", response(answer).get("patchType"));
        String patch = Reviews.patch(answer);
        JsonNode ops = PspFixtures.JSON.readTree(patch);
        assertTrue(ops.isArray() && !ops.isEmpty(), patch);
        for (JsonNode op : ops) {
            assertEquals("add", op.get("op").asString(), "defaulting only adds fields: " + patch);
            String path = op.get("path").asString();
            // a Pod being created also gets the admitting policy in its annotation kubernetes.io/psp
            assertTrue(path.startsWith(under) || review.startsWith("pod-create") && path.equals("/metadata/annotations"),
                    op + " is not under " + under);
        }
        JsonNode patched = applyPatch(patch, sentObject(body));
        assertEquals(PspFixtures.tree(bytes(defaulted)), patched, () -> "patch " + patch);
        assertEquals("a-restricted", auditAnnotations(answer).get(PodSecurityPolicyDefaulter.ADMIT_POLICY));
    }

    @Test
    void aUserWithoutUseOnAnyPolicyIsDeniedNamingWhy() throws Exception {
        byte[] answer = mutate(withBody(with("pod-create-plain.json", "request.userInfo.username", "mallory@example.com"),
                "request.userInfo.groups", List.of("system:authenticated")));
        assertFalse(allowed(answer), () -> text(answer));
        assertEquals(403, Reviews.status(answer).get("code"));
        assertEquals("Forbidden", Reviews.status(answer).get("reason"));
        assertNull(response(answer).get("patch"));
        assertEquals("Pod team-a/web is forbidden: no PodSecurityPolicy is available to mallory@example.com (groups: system:authenticated)"
                + " or to service account team-a/default (RBAC grants neither verb use on podsecuritypolicies in API group policy)",
                message(answer));
    }

    static byte[] withBody(byte[] review, String path, Object value) {
        return Reviews.json(Reviews.set(Reviews.answer(review), path, value));
    }

    @Test
    void whenNoAvailablePolicyAdmitsThePodEachOnesReasonsAreListed() throws Exception {
        byte[] jane = mutate(Reviews.bytes("pod-create-privileged.json"));
        assertFalse(allowed(jane));
        assertEquals(403, Reviews.status(jane).get("code"));
        String why = message(jane);
        String expected = "Pod team-a/web is forbidden: no PodSecurityPolicy admits it: policy a-restricted: [psp-privileged]"
                + " spec.containers[0].securityContext.privileged: ";
        assertTrue(why.startsWith(expected) && why.length() > expected.length(), why);
        assertFalse(why.contains("z-permissive") || why.contains("b-privileged"), "jane may use only a-restricted: " + why);

        byte[] operator = mutate(withBody(Reviews.bytes("pod-create-privileged.json"), "request.userInfo.groups",
                List.of("operators", "system:authenticated")));
        assertFalse(allowed(operator));
        String m = message(operator);
        assertTrue(m.contains("policy a-restricted: [psp-privileged] spec.containers[0].securityContext.privileged")
                && m.contains(" | policy z-permissive: [psp-privileged] spec.containers[0].securityContext.privileged"), m);
        assertTrue(METRICS.requests("mutate", "CREATE", "Pod", Result.DENIED, false) >= 2);
    }

    @Test
    void aPolicyThePodsServiceAccountMayUseAdmitsIt() throws Exception {
        byte[] answer = mutate(bytes("pod-create-privileged-agent.json"));
        assertTrue(allowed(answer), () -> text(answer));
        assertEquals("[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{\"kubernetes.io/psp\":\"b-privileged\"}}]",
                Reviews.patch(answer), "b-privileged admits the pod as it is: the patch only names it");
        assertEquals("b-privileged", auditAnnotations(answer).get(PodSecurityPolicyDefaulter.ADMIT_POLICY));

        // the grant is a RoleBinding in team-a: the same pod in team-b has only jane's policy
        Map<String, Object> elsewhere = PspFixtures.tree("pod-create-privileged-agent.json");
        Reviews.set(elsewhere, "request.namespace", "team-b");
        Reviews.set(elsewhere, "request.object.metadata.namespace", "team-b");
        byte[] denied = mutate(Reviews.json(elsewhere));
        assertFalse(allowed(denied));
        assertTrue(message(denied).startsWith("Pod team-b/agent is forbidden: no PodSecurityPolicy admits it: policy a-restricted:"),
                message(denied));
    }

    @Test
    void aPolicyThatAdmitsThePodUnchangedIsPreferredToOneNamedEarlierThatDefaultsIt() throws Exception {
        byte[] answer = mutate(with("pod-create-plain.json", "request.userInfo.groups", List.of("operators", "system:authenticated")));
        assertTrue(allowed(answer), () -> text(answer));
        assertEquals("[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{\"kubernetes.io/psp\":\"z-permissive\"}}]",
                Reviews.patch(answer), () -> "z-permissive admits it unchanged: " + text(answer));
        assertEquals("z-permissive", auditAnnotations(answer).get(PodSecurityPolicyDefaulter.ADMIT_POLICY));
    }

    @Test
    void anUpdateOfAPodIsAdmittedOnlyAsItIs() throws Exception {
        byte[] plain = mutate(bytes("pod-update-image-plain.json"));
        assertFalse(allowed(plain), () -> text(plain));
        assertEquals(403, Reviews.status(plain).get("code"));
        String m = message(plain);
        assertTrue(m.startsWith("Pod team-a/web is forbidden: no PodSecurityPolicy admits the pod as it is, and an update cannot set"
                + " the defaults a policy needs: policy a-restricted only with spec.securityContext.fsGroup = 1000"), m);
        assertTrue(m.contains("spec.containers[0].securityContext.runAsUser = 1000"), m);

        byte[] defaulted = mutate(bytes("pod-update-image-defaulted.json"));
        assertTrue(allowed(defaulted), () -> text(defaulted));
        assertNull(response(defaulted).get("patch"));
        assertEquals("a-restricted", auditAnnotations(defaulted).get(PodSecurityPolicyDefaulter.ADMIT_POLICY));
    }

    @Test
    void anUpdateThatLeavesThePodSpecAsItWasIsNotChecked() throws Exception {
        // a label edit of a privileged pod, by a user who may use no policy at all
        byte[] answer = mutate(withBody(withBody(Reviews.bytes("pod-update-labels.json"), "request.userInfo.username",
                "mallory@example.com"), "request.userInfo.groups", List.of("system:authenticated")));
        assertTrue(allowed(answer), () -> text(answer));
        assertNull(response(answer).get("patch"));
        assertEquals(Map.of(), auditAnnotations(answer));
    }

    @Test
    void aDryRunGetsTheSameAnswerAndChangesNothing() throws Exception {
        long before = METRICS.requests("mutate", "CREATE", "Pod", Result.ALLOWED, true);
        int audited = AUDIT.records.size();
        byte[] real = mutate(bytes("pod-create-plain.json"));
        byte[] dry = mutate(with("pod-create-plain.json", "request.dryRun", true));
        assertTrue(allowed(dry));
        assertEquals(Reviews.patch(real), Reviews.patch(dry));
        assertEquals(auditAnnotations(real), auditAnnotations(dry));
        assertEquals(before + 1, METRICS.requests("mutate", "CREATE", "Pod", Result.ALLOWED, true), "counted as a dry run");
        assertEquals(audited, AUDIT.records.size(), "no audit record");
        byte[] dryDenied = mutate(withBody(Reviews.bytes("pod-create-privileged.json"), "request.dryRun", true));
        assertFalse(allowed(dryDenied));
        assertEquals(audited, AUDIT.records.size(), "no audit record for a denied dry run either");
        for (Mode m : Mode.values()) {
            assertEquals(0, METRICS.violations(m, "psp-privileged"), "the mutating path counts no violations");
        }
    }

    @Test
    void aV1beta1ReviewIsAnsweredInKindWithTheSamePatch() throws Exception {
        byte[] v1 = mutate(bytes("pod-create-plain.json"));
        byte[] beta = mutate(with("pod-create-plain.json", "apiVersion", "admission.k8s.io/v1beta1"));
        assertEquals("admission.k8s.io/v1beta1", answer(beta).get("apiVersion"));
        assertEquals("JSONPatch", response(beta).get("patchType"));
        assertEquals(Reviews.patch(v1), Reviews.patch(beta));
    }

    @Test
    void validationAdmitsThePodAsMutatedAndRefusesItBeforeOrWhenALaterWebhookUndidADefault() throws Exception {
        byte[] review = bytes("pod-create-plain.json");
        byte[] before = validate(review);
        assertFalse(allowed(before), () -> text(before));
        assertEquals(403, Reviews.status(before).get("code"));
        String m = message(before);
        assertTrue(m.startsWith("Pod team-a/web is forbidden: no PodSecurityPolicy admits it as it is"), m);
        assertTrue(m.contains("policy a-restricted only with spec.securityContext.fsGroup = 1000"), m);

        JsonNode mutated = applyPatch(Reviews.patch(mutate(review)), sentObject(review));
        assertEquals("a-restricted", mutated.path("metadata").path("annotations").path("kubernetes.io/psp").asString());
        byte[] after = validate(withObject(review, mutated));
        assertTrue(allowed(after), () -> "the defaulted pod is admitted as it is: " + text(after));

        // a mutating webhook called after kubeward's takes the default out again
        JsonNode undone = applyPatch("[{\"op\":\"remove\",\"path\":\"/spec/containers/0/securityContext/runAsUser\"}]", mutated);
        byte[] broken = validate(withObject(review, undone));
        assertFalse(allowed(broken), () -> text(broken));
        assertTrue(message(broken).contains("spec.containers[0].securityContext.runAsUser = 1000"), message(broken));
    }

    @Test
    void validationRefusesWhatNoAvailablePolicyAdmitsAndLeavesExemptAndUnchangedUpdatesAlone() throws Exception {
        byte[] privileged = validate(Reviews.bytes("pod-create-privileged.json"));
        assertFalse(allowed(privileged));
        assertTrue(message(privileged).startsWith("Pod team-a/web is forbidden: no PodSecurityPolicy admits it: policy a-restricted:"),
                message(privileged));
        byte[] agent = validate(bytes("pod-create-privileged-agent.json"));
        assertTrue(allowed(agent), () -> "b-privileged admits the agent's pod as it is: " + text(agent));
        byte[] labels = validate(withBody(withBody(Reviews.bytes("pod-update-labels.json"), "request.userInfo.username",
                "mallory@example.com"), "request.userInfo.groups", List.of("system:authenticated")));
        assertTrue(allowed(labels), () -> "a label edit is not checked: " + text(labels));
    }

    @Test
    void aPodAlreadyNamingItsAdmittingPolicyGetsNoPatch() throws Exception {
        Map<String, Object> tree = Reviews.answer(with("pod-create-plain.json", "request.userInfo.groups",
                List.of("operators", "system:authenticated")));
        Reviews.set(tree, "request.object.metadata.annotations", Map.of("kubernetes.io/psp", "z-permissive"));
        byte[] answer = mutate(Reviews.json(tree));
        assertTrue(allowed(answer), () -> text(answer));
        assertNull(response(answer).get("patch"), () -> "z-permissive admits it as it is and it names z-permissive: " + text(answer));
    }
}
