package io.kubeward.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeward.admission.benchmark.LoopbackCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/1.1 on the wire, as clients other than the JDK's send it: several requests on one
 * connection, chunked bodies, {@code Expect: 100-continue}, HTTP/1.0, HEAD, malformed request
 * lines and headers, slow and idle clients. Each test reads the raw answer off a TLS socket.
 */
class WebhookProtocolTest {

    @TempDir
    static Path dir;
    static LoopbackCertificate cert;
    static AdmissionServer server;
    static final CountDownLatch RELEASE = new CountDownLatch(1);
    static final CountDownLatch ARRIVED = new CountDownLatch(1);
    static final int LIMIT = 64 * 1024;

    @BeforeAll
    static void start() throws IOException {
        cert = LoopbackCertificate.create(dir, "webhook", "EC");
        // namespace "slow" is not in memory: its lookup waits until the test releases it
        NamespaceLabels labels = new NamespaceLabels() {
            @Override
            public Map<String, String> labelsOf(String ns) {
                if ("slow".equals(ns)) {
                    ARRIVED.countDown();
                    try {
                        RELEASE.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return Map.of("pod-security.kubernetes.io/enforce", "baseline");
            }

            @Override
            public boolean inMemory(String ns) {
                return !"slow".equals(ns);
            }
        };
        AdmissionController controller = AdmissionController.builder().engine(TestEngines.shared())
                .config(AdmissionConfig.DEFAULT.withMaxRequestBytes(LIMIT)).namespaceLabels(labels).build();
        server = AdmissionServer.builder(controller).address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .tls(cert.certFile(), cert.keyFile()).threads(4)
                .requestTimeout(Duration.ofMillis(700)).idleTimeout(Duration.ofMillis(1500)).start();
    }

    @AfterAll
    static void stop() {
        RELEASE.countDown();
        server.stop(Duration.ofSeconds(2));
    }

    /** One answer as read off the wire. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    static SSLSocket connect() throws IOException {
        return connectTo(cert, server.port());
    }

    static SSLSocket connectTo(LoopbackCertificate certificate, int port) throws IOException {
        SSLSocket s = (SSLSocket) certificate.trustingContext().getSocketFactory().createSocket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    static byte[] post(String path, byte[] body, String... headers) {
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: webhook\r\nContent-Type: application/json\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        return concat(head.toString().getBytes(StandardCharsets.US_ASCII), body);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads one answer; {@code head} for an answer to HEAD (no body whatever its length). */
    static Answer read(InputStream in, boolean head) throws IOException {
        String status = line(in);
        if (status == null) {
            throw new IOException("the connection closed before an answer");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).strip().toLowerCase(Locale.ROOT), l.substring(colon + 1).strip());
        }
        int length = head ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Answer(Integer.parseInt(status.split(" ")[1]), headers, body);
    }

    static Answer read(InputStream in) throws IOException {
        return read(in, false);
    }

    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String s = out.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            out.write(b);
        }
        return out.size() == 0 ? null : out.toString(StandardCharsets.US_ASCII);
    }

    /** True when the server closed the connection (end of stream or reset) within the socket's timeout. */
    static boolean closedByServer(SSLSocket s) throws IOException {
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    static void awaitNoneInFlight() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.inFlight() != 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertEquals(0, server.inFlight(), "no request left in flight");
    }

    @Test
    void requestsSentTogetherOnOneConnectionAreAnsweredInOrder() throws Exception {
        try (SSLSocket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(concat(post("/validate", Reviews.bytes("pod-create-privileged.json")),
                    post("/validate", Reviews.bytes("pod-create-compliant.json")),
                    ascii("GET /healthz HTTP/1.1\r\nHost: webhook\r\n\r\n")));
            out.flush();
            Answer first = read(s.getInputStream());
            Answer second = read(s.getInputStream());
            Answer third = read(s.getInputStream());
            assertEquals(200, first.status());
            assertFalse(Reviews.allowed(first.body()), "the privileged pod, denied");
            assertEquals("application/json", first.header("Content-Type"));
            assertEquals(200, second.status());
            assertTrue(Reviews.allowed(second.body()), "the compliant pod, allowed");
            assertEquals(200, third.status());
            assertEquals("ok\n", third.text());
            assertFalse(closedByServer(withTimeout(s, 200)), "the connection stays open for the next request");
        }
        awaitNoneInFlight();
    }

    static SSLSocket withTimeout(SSLSocket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        return s;
    }

    @Test
    void aChunkedBodyIsReadInFull() throws Exception {
        byte[] review = Reviews.bytes("pod-create-privileged.json");
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        for (int i = 0; i < review.length; i += 700) {
            int n = Math.min(700, review.length - i);
            chunked.writeBytes(ascii(Integer.toHexString(n) + "\r\n"));
            chunked.write(review, i, n);
            chunked.writeBytes(ascii("\r\n"));
        }
        chunked.writeBytes(ascii("0\r\n\r\n"));
        try (SSLSocket s = connect()) {
            s.getOutputStream().write(concat(ascii("POST /validate HTTP/1.1\r\nHost: webhook\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n"), chunked.toByteArray()));
            Answer a = read(s.getInputStream());
            assertEquals(200, a.status(), a.text());
            assertFalse(Reviews.allowed(a.body()));
        }
    }

    @Test
    void aChunkedBodyOverTheLimitGets400AndTheConnectionServesOn() throws Exception {
        try (SSLSocket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(ascii("POST /validate HTTP/1.1\r\nHost: webhook\r\nTransfer-Encoding: chunked\r\n\r\n"));
            byte[] chunk = new byte[16 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            for (int i = 0; i < 6; i++) {
                out.write(ascii(Integer.toHexString(chunk.length) + "\r\n"));
                out.write(chunk);
                out.write(ascii("\r\n"));
            }
            out.write(ascii("0\r\n\r\n"));
            Answer a = read(s.getInputStream());
            assertEquals(400, a.status());
            assertTrue(a.text().contains("over the limit of " + LIMIT + " bytes"), a.text());
            out.write(post("/validate", Reviews.bytes("pod-create-compliant.json")));
            assertEquals(200, read(s.getInputStream()).status(), "the body was read and dropped: the connection serves on");
        }
    }

    @Test
    void expectContinueGetsTheGoAheadOrARefusalBeforeTheBody() throws Exception {
        byte[] review = Reviews.bytes("pod-create-compliant.json");
        try (SSLSocket s = connect()) {
            s.getOutputStream().write(ascii("POST /validate HTTP/1.1\r\nHost: webhook\r\nExpect: 100-continue\r\nContent-Length: "
                    + review.length + "\r\n\r\n"));
            Answer go = read(s.getInputStream());
            assertEquals(100, go.status());
            s.getOutputStream().write(review);
            Answer a = read(s.getInputStream());
            assertEquals(200, a.status());
            assertTrue(Reviews.allowed(a.body()));
        }
        try (SSLSocket s = connect()) {
            s.getOutputStream().write(ascii("POST /validate HTTP/1.1\r\nHost: webhook\r\nExpect: 100-continue\r\nContent-Length: "
                    + (LIMIT + 1) + "\r\n\r\n"));
            Answer a = read(s.getInputStream());
            assertEquals(400, a.status(), "refused without the body being sent");
            assertTrue(a.text().contains("(" + (LIMIT + 1) + " bytes) is over the limit of " + LIMIT + " bytes"), a.text());
            assertEquals("close", a.header("Connection"));
        }
        awaitNoneInFlight();
    }

    @Test
    void http10AndConnectionCloseEndTheConnectionAfterTheAnswer() throws Exception {
        try (SSLSocket s = connect()) {
            s.getOutputStream().write(ascii("GET /healthz HTTP/1.0\r\n\r\n"));
            Answer a = read(s.getInputStream());
            assertEquals(200, a.status());
            assertTrue(closedByServer(s), "HTTP/1.0 without keep-alive: closed after the answer");
        }
        try (SSLSocket s = connect()) {
            s.getOutputStream().write(post("/validate", Reviews.bytes("pod-create-compliant.json"), "Connection: close"));
            Answer a = read(s.getInputStream());
            assertEquals(200, a.status());
            assertEquals("close", a.header("Connection"));
            assertTrue(closedByServer(s));
        }
        try (SSLSocket s = connect()) {
            s.getOutputStream().write(ascii("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
            Answer a = read(s.getInputStream());
            assertEquals("keep-alive", a.header("Connection"));
            s.getOutputStream().write(ascii("GET /readyz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
            assertEquals(200, read(s.getInputStream()).status(), "an HTTP/1.0 client that asked for keep-alive keeps its connection");
        }
    }

    @Test
    void headGetsTheHeadersOnly() throws Exception {
        try (SSLSocket s = connect()) {
            s.getOutputStream().write(ascii("HEAD /healthz HTTP/1.1\r\nHost: webhook\r\n\r\nGET /healthz HTTP/1.1\r\nHost: webhook\r\n\r\n"));
            Answer head = read(s.getInputStream(), true);
            assertEquals(200, head.status());
            assertEquals("3", head.header("Content-Length"));
            Answer get = read(s.getInputStream());
            assertEquals("ok\n", get.text(), "the next answer follows the headers at once: HEAD had no body");
        }
    }

    @Test
    void malformedRequestLinesAndHeadersGet400And414Or431WhenTooLongAndTheServerServesOn() throws Exception {
        try (SSLSocket s = connect()) {
            s.getOutputStream().write(ascii("this is not http\r\n\r\n"));
            Answer a = read(s.getInputStream());
            assertEquals(400, a.status());
            assertTrue(a.text().startsWith("kubeward: malformed HTTP request"), a.text());
            assertTrue(closedByServer(s));
        }
        try (SSLSocket s = connect()) {
            s.getOutputStream().write(ascii("GET /healthz HTTP/1.1\r\nHost: webhook\r\nX-Padding: " + "x".repeat(40_000) + "\r\n\r\n"));
            Answer a = read(s.getInputStream());
            assertEquals(431, a.status());
            assertTrue(closedByServer(s));
        }
        try (SSLSocket s = connect()) {
            s.getOutputStream().write(ascii("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: webhook\r\n\r\n"));
            assertEquals(414, read(s.getInputStream()).status());
            assertTrue(closedByServer(s));
        }
        try (SSLSocket s = connect()) {
            s.getOutputStream().write(ascii("POST /validate HTTP/1.1\r\nHost: webhook\r\nContent-Length: lots\r\n\r\n"));
            Answer a = read(s.getInputStream());
            assertEquals(400, a.status());
            assertTrue(closedByServer(s));
        }
        try (SSLSocket s = connect()) {
            s.getOutputStream().write(ascii("GET /validate%zz HTTP/1.1\r\nHost: webhook\r\n\r\n"));
            Answer a = read(s.getInputStream());
            assertEquals(400, a.status());
            assertTrue(a.text().contains("malformed request path"), a.text());
        }
        try (SSLSocket s = connect()) {
            s.getOutputStream().write(ascii("GET /healthz HTTP/1.1\r\nHost: webhook\r\n\r\n"));
            assertEquals(200, read(s.getInputStream()).status());
        }
        awaitNoneInFlight();
    }

    @Test
    void aRequestThatDoesNotArriveInFullGets408() throws Exception {
        byte[] review = Reviews.bytes("pod-create-compliant.json");
        try (SSLSocket s = connect()) {
            byte[] request = post("/validate", review);
            s.getOutputStream().write(request, 0, request.length - 100);
            s.getOutputStream().flush();
            Answer a = read(s.getInputStream());
            assertEquals(408, a.status());
            assertTrue(a.text().contains("did not arrive in full within 700 ms"), a.text());
            assertTrue(closedByServer(s));
        }
        awaitNoneInFlight();
    }

    @Test
    void anIdleConnectionIsClosedAndAClientThatLeavesMidRequestIsForgotten() throws Exception {
        try (SSLSocket s = connect()) {
            s.getOutputStream().write(ascii("GET /healthz HTTP/1.1\r\nHost: webhook\r\n\r\n"));
            assertEquals(200, read(s.getInputStream()).status());
            s.setSoTimeout(5_000);
            long start = System.nanoTime();
            assertTrue(closedByServer(s), "closed after the idle timeout");
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(1000), "not before the idle timeout");
        }
        try (SSLSocket s = connect()) {
            byte[] request = post("/validate", Reviews.bytes("pod-create-compliant.json"));
            s.getOutputStream().write(request, 0, request.length / 2);
            s.getOutputStream().flush();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.inFlight() == 0 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertEquals(1, server.inFlight(), "half a request is in flight");
        }
        awaitNoneInFlight();
    }

    @Test
    void aReviewWaitingOnItsLookupHoldsUpNoOtherConnectionAndItsOwnRequestsStayInOrder() throws Exception {
        byte[] slow = Reviews.with("pod-create-compliant.json", "request.namespace", "slow");
        try (SSLSocket blocked = connect()) {
            blocked.getOutputStream().write(concat(post("/validate", slow), ascii("GET /healthz HTTP/1.1\r\nHost: webhook\r\n\r\n")));
            assertTrue(ARRIVED.await(10, TimeUnit.SECONDS), "the lookup that waits was asked");
            // connections are spread over the event loops in turn: among the next four, one shares the
            // waiting connection's loop; each is answered while the lookup still waits
            for (int i = 0; i < 4; i++) {
                try (SSLSocket other = connect()) {
                    other.getOutputStream().write(post("/validate", Reviews.bytes("pod-create-privileged.json")));
                    Answer a = read(other.getInputStream());
                    assertEquals(200, a.status());
                    assertFalse(Reviews.allowed(a.body()));
                }
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.inFlight() != 1 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertEquals(1, server.inFlight(), "the waiting review is still in flight (the request after it not yet begun)");
            String metrics = server.controller().metrics().render();
            assertTrue(metrics.contains("\nkubeward_admission_requests_in_flight 1\n"), metrics);
            assertEquals(1, server.controller().metrics().reviewsWaited(), "only the review whose namespace was not in memory waited");
            RELEASE.countDown();
            Answer review = read(blocked.getInputStream());
            assertEquals(200, review.status());
            assertTrue(Reviews.allowed(review.body()), "the waiting review answered first");
            Answer health = read(blocked.getInputStream());
            assertEquals("ok\n", health.text(), "then the request sent after it on the same connection");
        }
        awaitNoneInFlight();
    }
}
