package io.kubeward.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class NetpolCommandTest {

    static final String SHOP = CliRun.ROOT.resolve("examples/network/chapter-network-policies.yaml").toString();

    @Test
    void connlistPrintsEveryAllowedConnectionSorted() {
        CliRun run = CliRun.of("netpol", "connlist", SHOP);
        assertEquals(KubewardCommand.OK, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.contains("shop/webserver[Deployment] => shop/database[StatefulSet] : TCP 5432"), run.out());
        assertTrue(lines.contains("manning/storefront[Pod] => shop/shopping-cart[Deployment] : TCP 80"), run.out());
        assertTrue(lines.contains("192.168.1.0-192.168.1.255[External] => shop/shopping-cart[Deployment] : All Connections"), run.out());
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("other/intruder[Pod] => shop/")), run.out());
        assertEquals(lines.stream().sorted().toList(), lines);
    }

    @Test
    void jsonAndDotRenderTheSameConnections() {
        CliRun json = CliRun.of("netpol", "connlist", "-o", "json", SHOP);
        assertEquals(KubewardCommand.OK, json.exitCode());
        JsonMapper.builder().build().readTree(json.out());
        CliRun dot = CliRun.of("netpol", "connlist", "-o", "dot", SHOP);
        assertTrue(dot.out().startsWith("digraph"), dot.out());
        assertTrue(dot.out().contains("shop/database[StatefulSet]"), dot.out());
    }

    @Test
    void explainAnswersAndNamesThePolicy() {
        CliRun allowed = CliRun.of("netpol", "explain", "--from", "shop/webserver", "--to", "shop/database", "--port", "5432/TCP", SHOP);
        assertEquals(KubewardCommand.OK, allowed.exitCode(), allowed.err());
        assertTrue(allowed.out().contains("allowed by shop/postgres-netpolicy spec.ingress[0]"), allowed.out());
        CliRun denied = CliRun.of("netpol", "explain", "--from", "other/intruder", "--to", "shop/database", "--port", "5432", SHOP);
        assertEquals(KubewardCommand.FINDINGS, denied.exitCode());
        assertTrue(denied.out().contains("denied by ingress isolation at the destination"), denied.out());
        CliRun ip = CliRun.of("netpol", "explain", "--from", "shop/webserver", "--to-ip", "169.254.169.254", "--port", "80/TCP", SHOP);
        assertEquals(KubewardCommand.FINDINGS, ip.exitCode());
        assertTrue(ip.out().contains("denied by egress isolation at the source"), ip.out());
        CliRun unknown = CliRun.of("netpol", "explain", "--from", "shop/nope", "--to", "shop/database", "--port", "5432", SHOP);
        assertEquals(KubewardCommand.INPUT_ERROR, unknown.exitCode());
        CliRun badPort = CliRun.of("netpol", "explain", "--from", "shop/webserver", "--to", "shop/database", "--port", "http", SHOP);
        assertEquals(KubewardCommand.INPUT_ERROR, badPort.exitCode());
    }

    @Test
    void diffListsConnectionsGainedAndLost(@TempDir Path dir) throws IOException {
        String before = Files.readString(Path.of(SHOP));
        Path after = dir.resolve("after.yaml");
        Files.writeString(after, before.replace("          ports:\n            - containerPort: 5432", "          ports:\n            - containerPort: 5432")
                .replace("        - port: 5432", "        - port: 5432\n        - port: 5433"));
        CliRun same = CliRun.of("netpol", "diff", SHOP, SHOP);
        assertEquals(KubewardCommand.OK, same.exitCode());
        CliRun changed = CliRun.of("netpol", "diff", SHOP, after.toString());
        assertEquals(KubewardCommand.FINDINGS, changed.exitCode(), changed.out() + changed.err());
        assertTrue(changed.out().contains("shop/webserver[Deployment] => shop/database[StatefulSet]"), changed.out());
        assertTrue(changed.out().contains("5433"), changed.out());
    }

    @Test
    void anInvalidPolicyStopsTheAnalysisNamingPolicyAndField(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: broken, namespace: shop}
                spec:
                  podSelector: {}
                  ingress:
                    - from:
                        - ipBlock: {cidr: 10.0.0.0/33}
                """);
        CliRun run = CliRun.of("netpol", "connlist", bad.toString());
        assertEquals(KubewardCommand.INPUT_ERROR, run.exitCode());
        assertTrue(run.err().contains("shop/broken") && run.err().contains("ipBlock"), run.err());
        assertEquals("", run.out());
    }
}
