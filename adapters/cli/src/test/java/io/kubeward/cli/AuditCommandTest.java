package io.kubeward.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kubeward.engine.InputObject;
import io.kubeward.manifest.ManifestReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code kubeward audit} end to end: the real client against the fabric8 mock API server, over HTTPS on loopback. */
@EnableKubernetesMockClient(crud = true)
class AuditCommandTest {

    static KubernetesClient client;

    @TempDir
    Path dir;
    Path kubeconfig;

    @BeforeEach
    void seed() throws IOException {
        for (String example : new String[] {"examples/chapter/pod-with-host-network.yaml", "examples/chapter/kubia-hostport-replicas.yaml",
                "examples/chapter/kubia-nodeport.yaml"}) {
            for (InputObject o : new ManifestReader().read(CliRun.ROOT.resolve(example)).objects()) {
                HasMetadata obj = o.object();
                if (obj.getMetadata().getNamespace() == null && !obj.getKind().equals("Node")) {
                    obj.getMetadata().setNamespace("default");
                }
                client.resource(obj).createOr(existing -> existing.update());
            }
        }
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: mock
                    cluster:
                      server: %s
                      insecure-skip-tls-verify: true
                contexts:
                  - name: mock
                    context: {cluster: mock, user: tester}
                current-context: mock
                users:
                  - name: tester
                    user: {token: secret}
                """.formatted(client.getMasterUrl()));
    }

    @Test
    void auditsTheClusterAsOneSnapshot() {
        CliRun run = CliRun.of("audit", "--kubeconfig", kubeconfig.toString(), "-o", "json");
        assertEquals(KubewardCommand.FINDINGS, run.exitCode(), run.out() + run.err());
        JsonNode root = JsonMapper.builder().build().readTree(run.out());
        assertEquals(false, root.get("audit").get("partial").asBoolean());
        boolean hostNetwork = false;
        boolean conflict = false;
        for (JsonNode f : root.get("findings")) {
            hostNetwork |= f.get("rule").asString().equals("host-network")
                    && f.get("resource").get("name").asString().equals("pod-with-host-network");
            conflict |= f.get("rule").asString().equals("host-port-conflict")
                    && f.get("message").asString().contains("at most 1 of 2 replicas can run");
        }
        assertTrue(hostNetwork, run.out());
        assertTrue(conflict, "the Node read from the cluster limits the replicas: " + run.out());
        boolean nodePort = false;
        for (JsonNode e : root.get("nodeExposure")) {
            nodePort |= e.get("port").asInt() == 30123 && e.get("scope").asString().equals("ALL_NODES");
        }
        assertTrue(nodePort, run.out());
    }

    @Test
    void writesPolicyReportsAndAppliesThem() {
        CliRun run = CliRun.of("audit", "--kubeconfig", kubeconfig.toString(), "-o", "policyreport", "--apply");
        assertEquals(KubewardCommand.FINDINGS, run.exitCode(), run.err());
        assertTrue(run.out().contains("kind: PolicyReport") || run.out().contains("kind: \"PolicyReport\""), run.out());
        assertTrue(run.out().contains("wgpolicyk8s.io/v1alpha2"), run.out());
        assertTrue(run.err().contains("PolicyReports created"), run.err());
        CliRun again = CliRun.of("audit", "--kubeconfig", kubeconfig.toString(), "-o", "policyreport=" + dir.resolve("r.yaml"), "--apply");
        assertTrue(again.err().contains("created 0"), "reports are updated, not duplicated: " + again.err());
    }

    @Test
    void anUnreachableClusterIsAClearError() throws IOException {
        Path bad = dir.resolve("bad");
        Files.writeString(bad, Files.readString(kubeconfig).replace(client.getMasterUrl().toString(), "https://127.0.0.1:1/"));
        CliRun run = CliRun.of("audit", "--kubeconfig", bad.toString());
        assertEquals(KubewardCommand.INPUT_ERROR, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().toLowerCase().contains("127.0.0.1:1") || run.err().contains("unreachable") || run.err().contains("PARTIAL"),
                run.err());
        assertTrue(!run.err().contains("\tat "), "no stack trace: " + run.err());
    }

    @Test
    void usageErrors() {
        assertEquals(KubewardCommand.INPUT_ERROR, CliRun.of("audit", "-n", "a", "-A").exitCode());
        assertEquals(KubewardCommand.INPUT_ERROR, CliRun.of("audit", "--watch", "--resync", "soon").exitCode());
    }
}
