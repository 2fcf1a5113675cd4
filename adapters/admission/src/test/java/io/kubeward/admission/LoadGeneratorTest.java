package io.kubeward.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeward.admission.benchmark.LoadGenerator;
import io.kubeward.admission.benchmark.LoopbackCertificate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's load generator counts what it is asked to: at a fixed rate every request due in
 * the window, on one keep-alive connection per client, and an answer other than the expected one
 * as an error. Counts only: how fast the server is, is the benchmark's business.
 */
class LoadGeneratorTest {

    @TempDir
    Path dir;

    @Test
    void aFixedRateSendsEveryDueRequestOnKeptAliveConnectionsAndChecksTheAnswers() throws Exception {
        LoopbackCertificate cert = LoopbackCertificate.create(dir, "load", "EC");
        AdmissionController controller = AdmissionController.builder().engine(TestEngines.shared())
                .namespaceLabels(NamespaceLabels.fixed(Map.of("team-a", Map.of("pod-security.kubernetes.io/enforce", "restricted"))))
                .auditLog(AuditLog.none()).build();
        byte[] body = Reviews.bytes("deployment-create-typical.json");
        byte[] answer = controller.validate(body);
        try (AdmissionServer server = AdmissionServer.builder(controller).address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .tls(cert.certFile(), cert.keyFile()).start()) {
            URI uri = URI.create("https://127.0.0.1:" + server.port() + "/validate");

            LoadGenerator.Result ok = new LoadGenerator(cert.trustingContext(), uri, body, answer)
                    .run(4, 200, Duration.ofMillis(300), Duration.ofSeconds(1));
            assertEquals(0, ok.errors(), ok.firstError());
            assertNull(ok.firstError());
            assertEquals(4, ok.connections(), "one connection per client, kept alive");
            // 200 requests are due in the second; each of the 4 clients' share may be off by one
            assertTrue(Math.abs(ok.requests() - 200) <= 4, "requests measured: " + ok.requests());
            assertEquals(ok.requests(), ok.sortedLatencyNanos().length);
            assertTrue(ok.millis(0.5) > 0 && ok.millis(0.5) <= ok.millis(0.99) && ok.millis(0.99) <= ok.maxMillis());

            byte[] other = "{\"not\":\"the answer\"}".getBytes(StandardCharsets.UTF_8);
            LoadGenerator.Result wrong = new LoadGenerator(cert.trustingContext(), uri, body, other)
                    .run(2, 100, Duration.ofMillis(100), Duration.ofMillis(500));
            assertEquals(0, wrong.requests());
            assertTrue(Math.abs(wrong.errors() - 50) <= 2, "errors: " + wrong.errors());
            assertTrue(wrong.firstError().startsWith("unexpected answer: {\"apiVersion\""), wrong.firstError());

            LoadGenerator.Result refused = new LoadGenerator(cert.trustingContext(), uri, "{".getBytes(StandardCharsets.UTF_8), null)
                    .run(1, 50, Duration.ZERO, Duration.ofMillis(200));
            assertTrue(refused.errors() > 0 && refused.firstError().startsWith("HTTP/1.1 400"), refused.firstError());
        }
    }
}
