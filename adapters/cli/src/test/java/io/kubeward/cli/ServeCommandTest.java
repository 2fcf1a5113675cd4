package io.kubeward.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeward.admission.benchmark.LoopbackCertificate;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {

    static final String REVIEW = """
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
              "uid":"0b6e2d9a-5c1f-4e8b-9a3d-7f2c1e0d4b21",
              "kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},
              "requestKind":{"group":"","version":"v1","kind":"Pod"},"requestResource":{"group":"","version":"v1","resource":"pods"},
              "name":"agent","namespace":"team-a","operation":"CREATE",
              "userInfo":{"username":"jane@example.com","groups":["system:authenticated"]},
              "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"agent","namespace":"team-a"},
                "spec":{"hostNetwork":true,"containers":[{"name":"agent","image":"agent:1"}]}},
              "oldObject":null,"dryRun":false,
              "options":{"kind":"CreateOptions","apiVersion":"meta.k8s.io/v1"}}}
            """;

    @Test
    void servesTheWebhookUntilShutDown(@TempDir Path dir) throws Exception {
        LoopbackCertificate cert = LoopbackCertificate.create(dir, "serve", "EC");
        Path labels = Files.writeString(dir.resolve("namespaces.yaml"), "team-a:\n  pod-security.kubernetes.io/enforce: baseline\n");
        Path config = Files.writeString(dir.resolve("admission.yaml"), "generalRules:\n  enforce: high\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit = InProcessServe.start(out, err,
            "serve", "--port", "0", "--bind", "127.0.0.1", "--tls-cert", cert.certFile().toString(),
            "--tls-key", cert.keyFile().toString(), "--config", config.toString(), "--namespace-labels", labels.toString(),
            "--shutdown-grace", "2", "--request-timeout", "1");
        int port = ServeCommand.running.port();
        assertTrue(out.toString().contains("kubeward: serving admission reviews on https://127.0.0.1:" + port), out.toString());

        HttpClient client = HttpClient.newBuilder().sslContext(cert.trustingContext()).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/validate"))
                .POST(HttpRequest.BodyPublishers.ofString(REVIEW)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"uid\":\"0b6e2d9a-5c1f-4e8b-9a3d-7f2c1e0d4b21\""), r.body());
        assertTrue(r.body().contains("\"allowed\":false"), r.body());
        assertTrue(r.body().contains("[host-network] at spec.hostNetwork"), r.body());
        assertEquals(200, client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());

        // --request-timeout 1: half a request gets 408 after a second
        try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) cert.trustingContext().getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            byte[] body = REVIEW.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            s.getOutputStream().write(("POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().write(body, 0, body.length / 2);
            s.getOutputStream().flush();
            long sent = System.nanoTime();
            String status = new String(s.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 408", status);
            assertTrue(System.nanoTime() - sent >= TimeUnit.MILLISECONDS.toNanos(800), "not before the timeout");
        }

        ServeCommand.running.shutdown();
        assertEquals(KubewardCommand.OK, exit.get(30, TimeUnit.SECONDS));
    }

    @Test
    void refusesMissingCertificatesAndBadConfiguration(@TempDir Path dir) throws Exception {
        CliRun noCert = CliRun.of("serve", "--tls-key", "k.pem");
        assertEquals(KubewardCommand.INPUT_ERROR, noCert.exitCode());
        assertTrue(noCert.err().contains("Missing required option: '--tls-cert=FILE'"), noCert.err());

        CliRun missing = CliRun.of("serve", "--tls-cert", dir.resolve("absent.crt").toString(), "--tls-key", dir.resolve("absent.key").toString());
        assertEquals(KubewardCommand.INPUT_ERROR, missing.exitCode());
        assertTrue(missing.err().contains("absent.crt: no such file"), missing.err());

        LoopbackCertificate cert = LoopbackCertificate.create(dir, "serve", "EC");
        CliRun noTimeout = CliRun.of("serve", "--tls-cert", cert.certFile().toString(), "--tls-key", cert.keyFile().toString(),
                "--idle-timeout", "0");
        assertEquals(KubewardCommand.INPUT_ERROR, noTimeout.exitCode());
        assertTrue(noTimeout.err().contains("kubeward serve: --idle-timeout must be a positive number of seconds"), noTimeout.err());

        Path config = Files.writeString(dir.resolve("admission.yaml"), "defaults:\n  enforce: strict\n");
        CliRun badConfig = CliRun.of("serve", "--tls-cert", cert.certFile().toString(), "--tls-key", cert.keyFile().toString(),
                "--config", config.toString());
        assertEquals(KubewardCommand.INPUT_ERROR, badConfig.exitCode());
        assertTrue(badConfig.err().contains("admission.yaml: defaults.enforce: unknown Pod Security level 'strict'"), badConfig.err());

        Path wrongKey = Files.writeString(dir.resolve("wrong.key"), Files.readString(LoopbackCertificate.create(dir, "other", "EC").keyFile()));
        CliRun mismatch = CliRun.of("serve", "--port", "0", "--bind", "127.0.0.1", "--namespace-labels", "none",
                "--tls-cert", cert.certFile().toString(), "--tls-key", wrongKey.toString());
        assertEquals(KubewardCommand.INPUT_ERROR, mismatch.exitCode());
        assertTrue(mismatch.err().contains("wrong.key: the private key does not belong to the certificate"), mismatch.err());
    }

    static final String TEAM_RULE = """
            package team
            import io.kubeward.engine.model.*;
            global Findings findings;
            rule "team-no-agent-image"
                @severity("high") @title("The agent image is retired")
            when
                $c : ContainerView( image == "agent:1" )
            then
                findings.report(drools.getRule(), $c, $c.path("image"), "agent:1 is retired");
            end
            """;

    @Test
    void changedRulesAreSwappedInWhileServingAndBrokenOnesKeepTheOld(@TempDir Path dir) throws Exception {
        LoopbackCertificate cert = LoopbackCertificate.create(dir, "serve", "EC");
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Path labels = Files.writeString(dir.resolve("namespaces.yaml"), "team-a:\n  pod-security.kubernetes.io/enforce: baseline\n");
        Path config = Files.writeString(dir.resolve("admission.yaml"), "generalRules:\n  enforce: high\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit = InProcessServe.start(out, err,
            "serve", "--port", "0", "--bind", "127.0.0.1", "--tls-cert", cert.certFile().toString(),
            "--tls-key", cert.keyFile().toString(), "--config", config.toString(), "--namespace-labels", labels.toString(),
            "--rules", rules.toString(), "--rules-check-interval", "1", "--shutdown-grace", "2");
        int port = ServeCommand.running.port();
        HttpClient client = HttpClient.newBuilder().sslContext(cert.trustingContext()).build();
        String review = REVIEW.replace("\"hostNetwork\":true,", "");
        java.util.function.Supplier<String> validate = () -> {
            try {
                return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/validate"))
                        .POST(HttpRequest.BodyPublishers.ofString(review)).build(), HttpResponse.BodyHandlers.ofString()).body();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertTrue(validate.get().contains("\"allowed\":true"), "no team rule yet");

        Files.writeString(rules.resolve("team.drl"), TEAM_RULE);
        String body = validate.get();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!body.contains("[team-no-agent-image]") && System.nanoTime() < until) {
            Thread.sleep(200);
            body = validate.get();
        }
        assertTrue(body.contains("\"allowed\":false") && body.contains("[team-no-agent-image]"), body + "\n" + err);

        Files.writeString(rules.resolve("broken.drl"), "package broken\nrule \"x\" when then");
        until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!err.toString().contains("do not compile") && System.nanoTime() < until) {
            Thread.sleep(200);
        }
        assertTrue(err.toString().contains("do not compile") && err.toString().contains("broken.drl"), err.toString());
        assertTrue(validate.get().contains("[team-no-agent-image]"), "the previous rules keep serving");
        String metrics = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("\nkubeward_rules_reloads_total 1\n") && metrics.contains("\nkubeward_rules_reload_errors_total 1\n"),
                metrics);

        ServeCommand.running.shutdown();
        assertEquals(KubewardCommand.OK, exit.get(30, TimeUnit.SECONDS));
    }
}
