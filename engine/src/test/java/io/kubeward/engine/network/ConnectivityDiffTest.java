package io.kubeward.engine.network;

import static io.kubeward.engine.network.Manifests.deployment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectivityDiffTest {

    static final String APPS = deployment("shop", "web", "app=web") + deployment("shop", "db", "app=db");

    static final Connectivity BEFORE = Manifests.analyze(APPS + """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-in, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress:
              - from: [{podSelector: {matchLabels: {app: web}}}]
                ports: [{port: 5432}, {port: 9000, protocol: UDP}]
            """);

    static final Connectivity AFTER = Manifests.analyze(APPS + deployment("shop", "cache", "app=cache") + """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-in, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress:
              - from: [{podSelector: {matchLabels: {app: web}}}]
                ports: [{port: 5433}, {port: 9000, protocol: UDP}]
              - from: [{ipBlock: {cidr: 10.0.0.0/8}}]
            """);

    @Test
    void namesGainedAndLostConnections() {
        ConnectivityDiff diff = ConnectivityDiff.between(BEFORE, AFTER);
        ConnectivityDiff.Change webDb = diff.changes().stream()
                .filter(c -> c.source().display().equals("shop/web[Deployment]") && c.destination().display().equals("shop/db[Deployment]"))
                .findFirst().orElseThrow();
        assertEquals("changed", webDb.kind());
        assertEquals("TCP 5432", webDb.lost().toString());
        assertEquals("TCP 5433", webDb.gained().toString());
        assertEquals("shop/web[Deployment] => shop/db[Deployment] : TCP 5432,UDP 9000 -> TCP 5433,UDP 9000", webDb.toString());

        List<String> lines = diff.lines();
        assertTrue(lines.contains("- shop/web[Deployment] => shop/db[Deployment] : TCP 5432"), lines.toString());
        assertTrue(lines.contains("+ shop/web[Deployment] => shop/db[Deployment] : TCP 5433"), lines.toString());
        assertTrue(lines.contains("+ 10.0.0.0-10.255.255.255[External] => shop/db[Deployment] : All Connections"),
                "the range is cut where the new ipBlock starts and ends: " + lines);
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("+ 0.0.0.0-9.255.255.255[External] => shop/db")), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains("=> shop/web[Deployment]") && !l.contains("cache")),
                "nothing changed for web as a destination, except from the new cache: " + lines);
    }

    @Test
    void aNewWorkloadGainsAllItsConnections() {
        ConnectivityDiff diff = ConnectivityDiff.between(BEFORE, AFTER);
        List<String> cache = diff.lines().stream().filter(l -> l.contains("shop/cache")).toList();
        assertEquals(List.of(
                "+ 0.0.0.0-9.255.255.255[External] => shop/cache[Deployment] : All Connections",
                "+ 10.0.0.0-10.255.255.255[External] => shop/cache[Deployment] : All Connections",
                "+ 11.0.0.0-255.255.255.255[External] => shop/cache[Deployment] : All Connections",
                "+ shop/cache[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections",
                "+ shop/cache[Deployment] => shop/web[Deployment] : All Connections",
                "+ shop/db[Deployment] => shop/cache[Deployment] : All Connections",
                "+ shop/web[Deployment] => shop/cache[Deployment] : All Connections"), cache,
                "cache is not allowed into db");
        assertTrue(diff.changes().stream().filter(c -> c.destination().display().equals("shop/cache[Deployment]"))
                .allMatch(c -> c.kind().equals("added")));
    }

    @Test
    void reversedDiffSwapsGainedAndLost() {
        ConnectivityDiff forward = ConnectivityDiff.between(BEFORE, AFTER);
        ConnectivityDiff back = ConnectivityDiff.between(AFTER, BEFORE);
        assertEquals(forward.gained().stream().map(Connection::line).toList(), back.lost().stream().map(Connection::line).toList());
        assertEquals(forward.lost().stream().map(Connection::line).toList(), back.gained().stream().map(Connection::line).toList());
        assertTrue(back.changes().stream().filter(c -> c.source().display().equals("shop/cache[Deployment]"))
                .allMatch(c -> c.kind().equals("removed")));
    }

    @Test
    void identicalSnapshotsHaveNoDiff() {
        ConnectivityDiff same = ConnectivityDiff.between(BEFORE, Manifests.analyze(APPS + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: renamed, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                    ports: [{port: 9000, protocol: UDP}]
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                    ports: [{port: 5432}]
                """));
        assertTrue(same.isEmpty(), same.lines().toString());
        assertEquals("[]\n", same.toJson());
    }

    @Test
    void jsonCarriesBeforeAfterGainedAndLost() {
        String json = ConnectivityDiff.between(BEFORE, AFTER).toJson();
        assertTrue(json.contains("{\"src\": \"shop/web[Deployment]\", \"dst\": \"shop/db[Deployment]\", \"diff\": \"changed\", "
                + "\"before\": \"TCP 5432,UDP 9000\", \"after\": \"TCP 5433,UDP 9000\", \"gained\": \"TCP 5433\", \"lost\": \"TCP 5432\"}"), json);
    }
}
