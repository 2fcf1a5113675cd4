package io.kubeward.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kubeward.admission.benchmark.LoopbackCertificate;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubeward serve --kubeconfig FILE}: the namespace labels come from the cluster that file
 * names (fabric8's mock API server in CRUD mode, through the real client), and a kubeconfig that
 * cannot be used is refused at start, naming it.
 */
@EnableKubernetesMockClient(crud = true)
class ServeClusterSourcesTest {

    static KubernetesClient client;

    @Test
    void takesNamespaceLabelsFromTheKubeconfigsCluster(@TempDir Path dir) throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-a")
                .addToLabels("pod-security.kubernetes.io/enforce", "baseline").endMetadata().build()).create();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("open")
                .addToLabels("pod-security.kubernetes.io/enforce", "privileged").endMetadata().build()).create();
        LoopbackCertificate cert = LoopbackCertificate.create(dir, "serve", "EC");
        Path config = MockKubeconfig.write(dir, client);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit = InProcessServe.start(out, err,
            "serve", "--port", "0", "--bind", "127.0.0.1", "--tls-cert", cert.certFile().toString(),
            "--tls-key", cert.keyFile().toString(), "--kubeconfig", config.toString(), "--context", "mock",
            "--shutdown-grace", "2");
        try {
            int port = ServeCommand.running.port();
            HttpClient http = HttpClient.newBuilder().sslContext(cert.trustingContext()).build();
            URI readyz = URI.create("https://127.0.0.1:" + port + "/readyz");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (http.send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.ofString()).statusCode() != 200
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            URI validate = URI.create("https://127.0.0.1:" + port + "/validate");
            HttpResponse<String> denied = http.send(HttpRequest.newBuilder(validate)
                    .POST(HttpRequest.BodyPublishers.ofString(ServeCommandTest.REVIEW)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, denied.statusCode());
            assertTrue(denied.body().contains("\"allowed\":false"), denied.body());
            assertTrue(denied.body().contains("hostNetwork"), denied.body());

            HttpResponse<String> allowed = http.send(HttpRequest.newBuilder(validate)
                    .POST(HttpRequest.BodyPublishers.ofString(ServeCommandTest.REVIEW.replace("\"namespace\":\"team-a\"", "\"namespace\":\"open\"")))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, allowed.statusCode());
            assertTrue(allowed.body().contains("\"allowed\":true"), allowed.body());
        } finally {
            if (ServeCommand.running != null) {
                ServeCommand.running.shutdown();
            }
        }
        assertEquals(KubewardCommand.OK, exit.get(30, TimeUnit.SECONDS));
    }

    @Test
    void refusesAKubeconfigItCannotUse(@TempDir Path dir) throws Exception {
        LoopbackCertificate cert = LoopbackCertificate.create(dir, "serve", "EC");
        Path absent = dir.resolve("absent-kubeconfig");
        CliRun missing = CliRun.of("serve", "--port", "0", "--bind", "127.0.0.1", "--tls-cert", cert.certFile().toString(),
                "--tls-key", cert.keyFile().toString(), "--kubeconfig", absent.toString());
        assertEquals(KubewardCommand.INPUT_ERROR, missing.exitCode());
        assertTrue(missing.err().contains("kubeward serve: cannot reach the cluster for namespace labels: kubeconfig " + absent
                + " does not exist or is not a file"), missing.err());

        CliRun context = CliRun.of("serve", "--port", "0", "--bind", "127.0.0.1", "--tls-cert", cert.certFile().toString(),
                "--tls-key", cert.keyFile().toString(), "--kubeconfig", MockKubeconfig.write(dir, client).toString(), "--context", "elsewhere");
        assertEquals(KubewardCommand.INPUT_ERROR, context.exitCode());
        assertTrue(context.err().contains("context 'elsewhere' is not in kubeconfig"), context.err());
    }
}
