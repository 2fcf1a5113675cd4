package io.kubeward.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A kubeconfig whose one context, {@code mock}, points at fabric8's mock API server, for the commands under test. */
final class MockKubeconfig {

    private MockKubeconfig() {
    }

    static Path write(Path dir, KubernetesClient mock) throws IOException {
        return Files.writeString(dir.resolve("kubeconfig"), """
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
                """.formatted(mock.getMasterUrl()));
    }
}
