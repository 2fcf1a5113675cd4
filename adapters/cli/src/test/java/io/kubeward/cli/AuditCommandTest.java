package io.kubeward.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kubeward.engine.InputObject;
import io.kubeward.manifest.ManifestReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
        kubeconfig = MockKubeconfig.write(dir, client);
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
    @Test
    void aWatchingAuditRunsChangedRulesAndKeepsTheOldOnesWhenAChangeIsBroken() throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AuditCommand.running = null;
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> KubewardCommand.run(new String[] {
            "audit", "--kubeconfig", kubeconfig.toString(), "--watch", "--rules", rules.toString(),
            "--rules-check-interval", "1", "-o", "text"}, new PrintWriter(out, true), new PrintWriter(err, true)));
        awaitOrFail(() -> AuditCommand.running != null && out.toString().contains("host-network"), exit, out, err);
        assertFalse(out.toString().contains("team-kubia-image"), "no team rule yet");

        Files.writeString(rules.resolve("team.drl"), """
                package team
                import io.kubeward.engine.model.*;
                global Findings findings;
                rule "team-kubia-image"
                    @severity("high") @title("kubia images are for the book only")
                when
                    $c : ContainerView( image != null, image.contains("kubia") )
                then
                    findings.report(drools.getRule(), $c, $c.path("image"), "kubia image in the cluster");
                end
                """);
        awaitOrFail(() -> out.toString().contains("team-kubia-image"), exit, out, err);
        assertTrue(err.toString().contains("kubeward audit: rules changed; now running"), err.toString());

        Files.writeString(rules.resolve("broken.drl"), "package broken\nrule \"x\" when then");
        awaitOrFail(() -> err.toString().contains("do not compile"), exit, out, err);
        assertTrue(err.toString().contains("broken.drl"), err.toString());
        int reports = out.toString().split("team-kubia-image", -1).length;
        client.pods().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata().withName("late").withNamespace("default").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("luksa/kubia").endContainer().endSpec().build()).create();
        awaitOrFail(() -> out.toString().split("team-kubia-image", -1).length > reports, exit, out, err);

        AuditCommand.running.stop();
        assertEquals(KubewardCommand.OK, exit.get(30, TimeUnit.SECONDS));
    }

    private static void awaitOrFail(java.util.function.BooleanSupplier condition, CompletableFuture<Integer> exit,
                                    StringWriter out, StringWriter err) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean() && !exit.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(condition.getAsBoolean(), "timed out or ended early:\n" + out + "\n" + err);
    }
}
