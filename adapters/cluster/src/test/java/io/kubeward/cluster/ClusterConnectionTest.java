package io.kubeward.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connecting through a kubeconfig file and a context, as {@code --kubeconfig} and {@code --context} do. */
@EnableKubernetesMockClient(crud = true)
class ClusterConnectionTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @TempDir
    Path dir;

    @AfterEach
    void emptyTheServer() {
        server.reset();
    }

    private Path kubeconfig() throws IOException {
        String url = server.url("/").replaceAll("/+$", "");
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                current-context: elsewhere
                clusters:
                - name: mock
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                - name: nowhere
                  cluster:
                    server: https://127.0.0.1:1
                    insecure-skip-tls-verify: true
                users:
                - name: auditor
                  user:
                    token: not-checked-by-the-mock
                contexts:
                - name: mock-admin
                  context: {cluster: mock, user: auditor}
                - name: elsewhere
                  context: {cluster: nowhere, user: auditor}
                """.formatted(url));
        return file;
    }

    @Test
    void connectsWithTheChosenContextOfAKubeconfig() throws IOException {
        ClusterFixtures.create(client, ClusterFixtures.namespace("default"));
        ClusterFixtures.create(client, ClusterFixtures.hostNetworkPod("default"));
        ConnectionSettings settings = ConnectionSettings.defaults().withKubeconfig(kubeconfig()).withContext("mock-admin");

        try (ClusterConnection cluster = ClusterConnection.open(settings)) {
            assertEquals("mock-admin", cluster.name());
            assertEquals("cluster:mock-admin", cluster.sourceLabel());
            AuditResult r = new ClusterAuditor(TestEngine.get()).audit(cluster, AuditScope.allNamespaces());
            assertFalse(r.partial(), () -> "faults: " + r.faults());
            assertEquals("cluster:mock-admin", r.findings().get(0).source().file());
        }
    }

    @Test
    void withoutAContextTheKubeconfigsCurrentContextIsUsed() throws IOException {
        try (ClusterConnection cluster = ClusterConnection.open(ConnectionSettings.defaults().withKubeconfig(kubeconfig()))) {
            assertEquals("elsewhere", cluster.name());
            assertEquals("https://127.0.0.1:1", cluster.serverUrl());
        }
    }

    @Test
    void anUnknownContextIsRefusedNamingTheKnownOnes() throws IOException {
        ConnectionSettings settings = ConnectionSettings.defaults().withKubeconfig(kubeconfig()).withContext("prod");

        ClusterAccessException e = assertThrows(ClusterAccessException.class, () -> ClusterConnection.open(settings));

        assertTrue(e.getMessage().contains("context 'prod'"), e.getMessage());
        assertTrue(e.getMessage().contains("mock-admin, elsewhere"), e.getMessage());
    }

    @Test
    void aMissingKubeconfigIsRefused() {
        Path missing = dir.resolve("no-such-kubeconfig");

        ClusterAccessException e = assertThrows(ClusterAccessException.class,
                () -> ClusterConnection.open(ConnectionSettings.defaults().withKubeconfig(missing)));

        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void timeLimitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.defaults().withRequestTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.defaults().withRetries(-1));
    }
}
