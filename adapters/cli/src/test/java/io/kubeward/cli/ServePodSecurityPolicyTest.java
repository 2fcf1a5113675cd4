package io.kubeward.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeward.admission.benchmark.LoopbackCertificate;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code kubeward serve --psp}: the PodSecurityPolicy defaulting on /mutate, end to end over HTTPS. */
class ServePodSecurityPolicyTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Path EXAMPLE = CliRun.ROOT.resolve("examples/pod-security-policy/policies.yaml");

    /** A Deployment created by USER that sets no user, group or capability (examples/pod-security-policy/pods/pod-with-defaults.yaml). */
    static final String DEPLOYMENT_REVIEW = """
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
              "uid":"c1a5e0f2-8b3d-4c6e-9f1a-2b3c4d5e6f70",
              "kind":{"group":"apps","version":"v1","kind":"Deployment"},"resource":{"group":"apps","version":"v1","resource":"deployments"},
              "requestKind":{"group":"apps","version":"v1","kind":"Deployment"},"requestResource":{"group":"apps","version":"v1","resource":"deployments"},
              "name":"kubia","namespace":"team-a","operation":"CREATE",
              "userInfo":{"username":"USER","uid":"0f9e8d7c","groups":["system:authenticated"]},
              "object":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"kubia","namespace":"team-a","creationTimestamp":null},
                "spec":{"replicas":2,"selector":{"matchLabels":{"app":"kubia"}},
                  "template":{"metadata":{"creationTimestamp":null,"labels":{"app":"kubia"}},
                    "spec":{"containers":[{"name":"kubia","image":"luksa/kubia","ports":[{"containerPort":8080,"protocol":"TCP"}],
                      "resources":{},"imagePullPolicy":"Always"}],"restartPolicy":"Always","dnsPolicy":"ClusterFirst"}},
                  "strategy":{"type":"RollingUpdate"}},"status":{}},
              "oldObject":null,"dryRun":false,
              "options":{"kind":"CreateOptions","apiVersion":"meta.k8s.io/v1"}}}
            """;

    static final String PRIVILEGED_POD_REVIEW = """
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
              "uid":"c1a5e0f2-8b3d-4c6e-9f1a-2b3c4d5e6f71",
              "kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},
              "name":"pod-privileged","namespace":"team-a","operation":"CREATE",
              "userInfo":{"username":"USER","groups":["system:authenticated"]},
              "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"pod-privileged","namespace":"team-a"},
                "spec":{"containers":[{"name":"main","image":"alpine","securityContext":{"privileged":true}}]}},
              "oldObject":null,"dryRun":false}}
            """;

    @Test
    void servesThePolicyDefaultingAndReadsChangedPolicyFilesAgain(@TempDir Path dir) throws Exception {
        LoopbackCertificate cert = LoopbackCertificate.create(dir, "serve", "EC");
        Path psp = Files.createDirectories(dir.resolve("psp"));
        Path policies = Files.copy(EXAMPLE, psp.resolve("policies.yaml"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit = InProcessServe.start(out, err,
            "serve", "--port", "0", "--bind", "127.0.0.1", "--tls-cert", cert.certFile().toString(),
            "--tls-key", cert.keyFile().toString(), "--namespace-labels", "none", "--psp", psp.toString(),
            "--psp-check-interval", "1", "--shutdown-grace", "2");
        assertTrue(out.toString().contains("/mutate: PodSecurityPolicy admission (2 policies, RBAC from the files)"), out.toString());
        HttpClient client = HttpClient.newBuilder().sslContext(cert.trustingContext()).build();
        int port = ServeCommand.running.port();

        // alice may use the default policy, which sets user, groups, capabilities and a read-only root
        String review = DEPLOYMENT_REVIEW.replace("USER", "alice");
        JsonNode answer = mutate(client, port, review);
        assertTrue(answer.at("/response/allowed").asBoolean(), answer::toString);
        assertEquals("JSONPatch", answer.at("/response/patchType").asString());
        assertEquals("default", answer.at("/response/auditAnnotations/psp-admit-policy").asString());
        String patch = new String(Base64.getDecoder().decode(answer.at("/response/patch").asString()), StandardCharsets.UTF_8);
        JsonNode sent = JSON.readTree(review).at("/request/object");
        JsonNode patched = io.fabric8.zjsonpatch.JsonPatch.apply(JSON.readTree(patch), sent);
        ObjectNode expected = (ObjectNode) sent.deepCopy();
        ObjectNode spec = (ObjectNode) expected.at("/spec/template/spec");
        spec.putObject("securityContext").put("fsGroup", 2).putArray("supplementalGroups").add(2);
        ObjectNode container = ((ObjectNode) spec.at("/containers/0")).putObject("securityContext");
        container.put("runAsUser", 2).put("readOnlyRootFilesystem", true);
        ObjectNode caps = container.putObject("capabilities");
        caps.putArray("add").add("CHOWN");
        caps.putArray("drop").add("SYS_ADMIN").add("SYS_MODULE");
        assertEquals(expected, patched, "patch " + patch);

        // a privileged pod: alice's only policy refuses it; bob may use the privileged policy
        JsonNode alice = mutate(client, port, PRIVILEGED_POD_REVIEW.replace("USER", "alice"));
        assertFalse(alice.at("/response/allowed").asBoolean());
        assertEquals(403, alice.at("/response/status/code").asInt());
        assertTrue(alice.at("/response/status/message").asString().startsWith("Pod team-a/pod-privileged is forbidden: no PodSecurityPolicy"
                + " admits it: policy default: [psp-privileged] spec.containers[0].securityContext.privileged: "), alice::toString);
        assertTrue(mutate(client, port, PRIVILEGED_POD_REVIEW.replace("USER", "bob")).at("/response/allowed").asBoolean());

        // bob loses his binding: once the change is read, his privileged pod is denied too
        String withoutBob = Files.readString(policies);
        withoutBob = withoutBob.substring(0, withoutBob.lastIndexOf("---"));
        Files.writeString(policies, withoutBob);
        until(() -> !mutate(client, port, PRIVILEGED_POD_REVIEW.replace("USER", "bob")).at("/response/allowed").asBoolean(),
                "bob's binding removed", err);
        until(() -> err.toString().contains("kubeward serve: --psp: the policy files changed; now 2 PodSecurityPolicies"), "reported", err);

        // a broken policy is reported with file, line and field, and the policies in force stay
        Files.writeString(psp.resolve("broken.yaml"), """
                apiVersion: policy/v1beta1
                kind: PodSecurityPolicy
                metadata:
                  name: broken
                spec:
                  seLinux: {rule: RunAsAny}
                  supplementalGroups: {rule: RunAsAny}
                  fsGroup: {rule: RunAsAny}
                  runAsUser: {rule: MustRunAsRoot}
                """);
        until(() -> err.toString().contains("are not used"), "the broken file reported", err);
        String report = err.toString();
        assertTrue(report.contains("the previous 2 PodSecurityPolicies stay in force") && report.contains("broken.yaml:9 (document 1):"
                + " PodSecurityPolicy broken: field spec.runAsUser.rule"), report);
        assertTrue(mutate(client, port, review).at("/response/allowed").asBoolean(), "alice is still admitted by default");
        assertFalse(mutate(client, port, PRIVILEGED_POD_REVIEW.replace("USER", "bob")).at("/response/allowed").asBoolean());

        ServeCommand.running.shutdown();
        assertEquals(KubewardCommand.OK, exit.get(30, TimeUnit.SECONDS));
    }

    static JsonNode mutate(HttpClient client, int port, String review) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/mutate"))
                    .POST(HttpRequest.BodyPublishers.ofString(review)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void until(BooleanSupplier condition, String what, StringWriter err) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not within 60 s: " + what + "\n" + err);
            }
            Thread.sleep(200);
        }
    }

    @Test
    void aBadPolicyFileStopsTheServerAtStartNamingFileLineAndField(@TempDir Path dir) throws Exception {
        LoopbackCertificate cert = LoopbackCertificate.create(dir, "serve", "EC");
        Path invalid = Files.writeString(dir.resolve("invalid.yaml"), """
                apiVersion: policy/v1beta1
                kind: PodSecurityPolicy
                metadata:
                  name: restricted
                spec:
                  seLinux: {rule: RunAsAny}
                  supplementalGroups: {rule: RunAsAny}
                  fsGroup: {rule: RunAsAny}
                  runAsUser: {rule: MustRunAsRoot}
                  hostPorts: [{min: 10500, max: 10000}]
                """);
        CliRun bad = serve(cert, invalid);
        assertEquals(KubewardCommand.INPUT_ERROR, bad.exitCode());
        assertTrue(bad.err().startsWith("kubeward serve: --psp: invalid PodSecurityPolicies:\n"), bad.err());
        assertTrue(bad.err().contains("\n  " + invalid + ":9 (document 1): PodSecurityPolicy restricted: field spec.runAsUser.rule: "
                + "unknown rule \"MustRunAsRoot\""), bad.err());
        assertTrue(bad.err().contains(invalid + ":10 (document 1): PodSecurityPolicy restricted: field spec.hostPorts[0]"), bad.err());
        assertNoStackTrace(bad);

        Path malformed = Files.writeString(dir.resolve("malformed.yaml"), "apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nspec: [\n");
        CliRun unreadable = serve(cert, malformed);
        assertEquals(KubewardCommand.INPUT_ERROR, unreadable.exitCode());
        assertTrue(unreadable.err().startsWith("kubeward serve: --psp: the policy files cannot be read:\n  " + malformed), unreadable.err());
        assertNoStackTrace(unreadable);

        Path rbacOnly = Files.writeString(dir.resolve("rbac.yaml"), """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: psp-all}
                rules: [{apiGroups: [policy], resources: [podsecuritypolicies], verbs: [use]}]
                """);
        CliRun none = serve(cert, rbacOnly);
        assertEquals(KubewardCommand.INPUT_ERROR, none.exitCode());
        assertTrue(none.err().contains("--psp: no PodSecurityPolicy (policy/v1beta1) in " + rbacOnly), none.err());

        CliRun source = CliRun.of("serve", "--namespace-labels", "none", "--tls-cert", cert.certFile().toString(),
                "--tls-key", cert.keyFile().toString(), "--psp", EXAMPLE.toString(), "--psp-rbac", "ldap");
        assertEquals(KubewardCommand.INPUT_ERROR, source.exitCode());
        assertTrue(source.err().contains("--psp-rbac: 'ldap' is not files or cluster"), source.err());

        CliRun missing = serve(cert, dir.resolve("absent"));
        assertEquals(KubewardCommand.INPUT_ERROR, missing.exitCode());
        assertTrue(missing.err().contains(dir.resolve("absent") + ": no such file or folder"), missing.err());
    }

    static CliRun serve(LoopbackCertificate cert, Path psp) {
        return CliRun.of("serve", "--port", "0", "--bind", "127.0.0.1", "--namespace-labels", "none", "--tls-cert",
                cert.certFile().toString(), "--tls-key", cert.keyFile().toString(), "--psp", psp.toString());
    }

    static void assertNoStackTrace(CliRun run) {
        assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.err());
        assertEquals("", run.out(), "nothing is served");
    }
}
