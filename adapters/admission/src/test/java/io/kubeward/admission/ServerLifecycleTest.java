package io.kubeward.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeward.admission.benchmark.LoopbackCertificate;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates, reloading, graceful shutdown, and failing open or closed, over HTTPS. */
class ServerLifecycleTest {

    @TempDir
    Path dir;

    @TempDir
    static Path shared;
    private static LoopbackCertificate rsa;

    /** One RSA certificate for the class: RSA key generation is the slow part. */
    static synchronized LoopbackCertificate rsa() throws IOException {
        if (rsa == null) {
            rsa = LoopbackCertificate.create(shared, "rsa", "RSA");
        }
        return rsa;
    }

    static AdmissionServer start(AdmissionController controller, LoopbackCertificate cert, Duration checkEvery) throws IOException {
        return AdmissionServer.builder(controller).address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .tls(cert.certFile(), cert.keyFile()).certificateCheckInterval(checkEvery).threads(4).start();
    }

    static HttpResponse<byte[]> post(HttpClient client, AdmissionServer server, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/validate"))
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The serial number of the certificate a fresh handshake is shown. */
    static BigInteger servedSerial(int port) throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {trustAll}, null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    @Test
    void readsPkcs8AndPkcs1RsaKeysAndPkcs8EcKeys() throws Exception {
        LoopbackCertificate rsa = rsa();
        assertEquals("RSA", PemCredentials.load(rsa.certFile(), rsa.keyFile()).key().getAlgorithm());
        Path pkcs1 = Files.writeString(dir.resolve("rsa-pkcs1.key"),
                LoopbackCertificate.pem("RSA PRIVATE KEY", PemCredentials.rsaPkcs8ToPkcs1(rsa.key().getEncoded())));
        PemCredentials fromPkcs1 = PemCredentials.load(rsa.certFile(), pkcs1);
        assertEquals(rsa.key(), fromPkcs1.key());
        LoopbackCertificate ec = LoopbackCertificate.create(dir, "ec", "EC");
        assertEquals("EC", PemCredentials.load(ec.certFile(), ec.keyFile()).key().getAlgorithm());

        assertTrue(assertThrows(IllegalArgumentException.class, () -> PemCredentials.load(rsa.certFile(), ec.keyFile()))
                .getMessage().endsWith("ec.key: the private key does not belong to the certificate in " + rsa.certFile()));
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "hello\n");
        assertEquals(garbage + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in the file",
                assertThrows(IllegalArgumentException.class, () -> PemCredentials.load(garbage, ec.keyFile())).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PemCredentials.load(ec.certFile(), garbage))
                .getMessage().startsWith(garbage + ": no private key"));
        Path encrypted = Files.writeString(dir.resolve("enc.key"), LoopbackCertificate.pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3}));
        assertEquals(encrypted + ": the key is encrypted; give an unencrypted key",
                assertThrows(IllegalArgumentException.class, () -> PemCredentials.load(ec.certFile(), encrypted)).getMessage());
    }

    static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
    }

    /** The openssl commands of the README make a CA and a serving certificate the server takes. */
    @Test
    void theReadmesOpensslCommandsMakeCertificatesTheServerTakes() throws Exception {
        boolean openssl = Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "openssl")));
        org.junit.jupiter.api.Assumptions.assumeTrue(openssl, "openssl is not installed: the README's certificate commands are not checked");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "365", "-subj", "/CN=kubeward-webhook-ca",
                "-keyout", "ca.key", "-out", "ca.crt");
        run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=kubeward-webhook.kubeward.svc",
                "-keyout", "tls.key", "-out", "tls.csr");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:kubeward-webhook.kubeward.svc,DNS:localhost,IP:127.0.0.1\n");
        run(dir, "openssl", "x509", "-req", "-in", "tls.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "365", "-extfile", "san.ext", "-out", "tls.crt");
        run(dir, "openssl", "rsa", "-in", "tls.key", "-traditional", "-out", "tls-pkcs1.key");
        assertTrue(Files.readString(dir.resolve("tls-pkcs1.key")).contains("BEGIN RSA PRIVATE KEY"));
        assertEquals(PemCredentials.load(dir.resolve("tls.crt"), dir.resolve("tls.key")).key(),
                PemCredentials.load(dir.resolve("tls.crt"), dir.resolve("tls-pkcs1.key")).key());

        java.security.cert.X509Certificate ca = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory
                .getInstance("X.509").generateCertificate(Files.newInputStream(dir.resolve("ca.crt")));
        LoopbackCertificate trustCa = new LoopbackCertificate(dir.resolve("tls.crt"), dir.resolve("tls-pkcs1.key"), ca, null);
        AdmissionController controller = AdmissionController.builder().engine(TestEngines.shared()).build();
        try (AdmissionServer server = start(controller, trustCa, Duration.ofSeconds(10))) {
            HttpClient client = HttpClient.newBuilder().sslContext(trustCa.trustingContext()).build();
            assertEquals(200, post(client, server, Reviews.bytes("pod-create-compliant.json")).statusCode());
        }
    }

    @Test
    void aServerWithAPkcs1KeyServes() throws Exception {
        LoopbackCertificate base = rsa();
        Path pkcs1 = Files.writeString(dir.resolve("pkcs1.key"),
                LoopbackCertificate.pem("RSA PRIVATE KEY", PemCredentials.rsaPkcs8ToPkcs1(base.key().getEncoded())));
        LoopbackCertificate rsa = new LoopbackCertificate(base.certFile(), pkcs1, base.certificate(), base.key());
        AdmissionController controller = AdmissionController.builder().engine(TestEngines.shared()).build();
        try (AdmissionServer server = start(controller, rsa, Duration.ofSeconds(10))) {
            HttpClient client = HttpClient.newBuilder().sslContext(rsa.trustingContext()).build();
            HttpResponse<byte[]> r = post(client, server, Reviews.bytes("pod-create-compliant.json"));
            assertEquals(200, r.statusCode());
            assertTrue(Reviews.allowed(r.body()));
        }
    }

    @Test
    void theCertificateIsReloadedWhenItsFilesChange() throws Exception {
        LoopbackCertificate first = LoopbackCertificate.create(dir, "first", "EC");
        Path certFile = Files.copy(first.certFile(), dir.resolve("tls.crt"));
        Path keyFile = Files.copy(first.keyFile(), dir.resolve("tls.key"));
        LoopbackCertificate served = new LoopbackCertificate(certFile, keyFile, first.certificate(), first.key());
        LoopbackCertificate second = LoopbackCertificate.create(dir, "second", "EC");
        AdmissionMetrics metrics = new AdmissionMetrics();
        AdmissionController controller = AdmissionController.builder().engine(TestEngines.shared()).metrics(metrics).build();
        try (AdmissionServer server = start(controller, served, Duration.ofMillis(50))) {
            assertEquals(first.certificate().getSerialNumber(), servedSerial(server.port()));
            // a half-done rotation (new key, old certificate) is not taken: the old pair stays in use
            Files.copy(second.keyFile(), keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            waitFor(() -> metrics.render().contains("kubeward_admission_certificate_reload_errors_total 1"), "the reload error");
            assertEquals(first.certificate().getSerialNumber(), servedSerial(server.port()));
            Files.copy(second.certFile(), certFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            waitFor(() -> second.certificate().equals(server.certificate()), "the new certificate");
            assertEquals(second.certificate().getSerialNumber(), servedSerial(server.port()));
            assertTrue(metrics.render().contains("kubeward_admission_certificate_reloads_total 1"), metrics.render());
            HttpClient client = HttpClient.newBuilder().sslContext(second.trustingContext()).build();
            assertEquals(200, post(client, server, Reviews.bytes("pod-create-compliant.json")).statusCode());
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void waitFor(Condition c, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aGracefulStopFinishesTheRequestsInFlight() throws Exception {
        LoopbackCertificate cert = LoopbackCertificate.create(dir, "webhook", "EC");
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        NamespaceLabels slow = ns -> {
            arrived.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Map.of("pod-security.kubernetes.io/enforce", "baseline");
        };
        AdmissionController controller = AdmissionController.builder().engine(TestEngines.shared()).namespaceLabels(slow).build();
        AdmissionServer server = start(controller, cert, Duration.ofSeconds(10));
        HttpClient client = HttpClient.newBuilder().sslContext(cert.trustingContext()).build();
        CompletableFuture<HttpResponse<byte[]>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return post(client, server, Reviews.bytes("pod-create-privileged.json"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(arrived.await(20, TimeUnit.SECONDS), "the request reached the controller");
        assertEquals(1, server.inFlight());
        long started = System.nanoTime();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.stop(Duration.ofSeconds(20)));
        Thread.sleep(300);
        assertFalse(stopping.isDone(), "stop waits for the request in flight");
        assertFalse(server.isReady(), "not ready while shutting down");
        release.countDown();
        HttpResponse<byte[]> r = inFlight.get(20, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        assertFalse(Reviews.allowed(r.body()), "answered in full: denied for the privileged container");
        stopping.get(20, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(15), "stop returned once the request was done");
        assertThrows(IOException.class, () -> post(HttpClient.newBuilder().sslContext(cert.trustingContext()).build(), server,
                Reviews.bytes("pod-create-compliant.json")), "no new connections after the stop");
    }

    @Test
    void anInternalErrorFailsClosedByDefaultAndOpenWhenConfigured() throws Exception {
        LoopbackCertificate cert = LoopbackCertificate.create(dir, "webhook", "EC");
        NamespaceLabels broken = ns -> {
            throw new IllegalStateException("namespace watch lost");
        };
        HttpClient client = HttpClient.newBuilder().sslContext(cert.trustingContext()).build();
        for (ErrorPolicy policy : ErrorPolicy.values()) {
            AdmissionController controller = AdmissionController.builder().engine(TestEngines.shared()).namespaceLabels(broken)
                    .config(AdmissionConfig.DEFAULT.withOnError(policy)).build();
            try (AdmissionServer server = start(controller, cert, Duration.ofSeconds(10))) {
                HttpResponse<byte[]> r = post(client, server, Reviews.bytes("pod-create-compliant.json"));
                assertEquals(200, r.statusCode());
                if (policy == ErrorPolicy.DENY) {
                    assertFalse(Reviews.allowed(r.body()));
                    assertEquals(500, Reviews.status(r.body()).get("code"));
                    assertTrue(Reviews.message(r.body()).contains("namespace watch lost; denied because onError is deny"));
                } else {
                    assertTrue(Reviews.allowed(r.body()));
                    assertTrue(Reviews.warnings(r.body()).get(0).contains("namespace watch lost; allowed because onError is allow"));
                }
                HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertTrue(metrics.body().contains("kubeward_admission_rule_evaluation_errors_total 1"), metrics.body());
                assertTrue(metrics.body().contains("result=\"error\""), metrics.body());
            }
        }
    }
}
