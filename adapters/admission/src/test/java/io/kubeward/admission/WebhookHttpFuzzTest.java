package io.kubeward.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeward.admission.benchmark.LoopbackCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throws mangled HTTP at the webhook, over real TLS: request lines, headers, lengths and chunked
 * framing cut, spliced, repeated and garbled. Whatever arrives, the first answer on a connection
 * is never a 5xx (no failure of the server's own), an answer of 200 to a review is a well-formed
 * review, no request is left in flight, and the server serves on. The seed is fixed (override with
 * -Dkubeward.fuzz.seed) so that a failure can be replayed.
 */
class WebhookHttpFuzzTest {

    static final int CASES = Integer.getInteger("kubeward.fuzz.http", 800);
    static final long SEED = Long.getLong("kubeward.fuzz.seed", 20261125L);

    @TempDir
    Path dir;

    @Test
    void mangledHttpNeverGetsA5xxNorLeavesARequestInFlight() throws Exception {
        LoopbackCertificate cert = LoopbackCertificate.create(dir, "fuzz", "EC");
        AdmissionController controller = AdmissionController.builder().engine(TestEngines.shared())
                .config(AdmissionConfig.DEFAULT.withMaxRequestBytes(16 * 1024))
                .namespaceLabels(NamespaceLabels.fixed(Map.of("team-a", Map.of("pod-security.kubernetes.io/enforce", "restricted"))))
                .auditLog(AuditLog.none()).build();
        List<byte[]> cases = cases(new Random(SEED));
        Map<String, Integer> outcomes = new TreeMap<>();
        try (AdmissionServer server = AdmissionServer.builder(controller)
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).tls(cert.certFile(), cert.keyFile()).threads(4)
                .requestTimeout(Duration.ofMillis(300)).idleTimeout(Duration.ofMillis(800)).shutdownGrace(Duration.ofSeconds(2)).start()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < cases.size(); i++) {
                    int n = i;
                    results.add(pool.submit(() -> send(cert, server.port(), cases.get(n), n)));
                }
                for (Future<String> f : results) {
                    outcomes.merge(f.get(60, TimeUnit.SECONDS), 1, Integer::sum);
                }
            } finally {
                pool.shutdownNow();
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.inFlight() != 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertEquals(0, server.inFlight(), "every request ended: answered, timed out or its connection gone");
            try (SSLSocket s = WebhookProtocolTest.connectTo(cert, server.port())) {
                s.getOutputStream().write(WebhookProtocolTest.post("/validate", Reviews.bytes("pod-create-privileged.json")));
                WebhookProtocolTest.Answer a = WebhookProtocolTest.read(s.getInputStream());
                assertEquals(200, a.status(), "still serving");
                assertTrue(!Reviews.allowed(a.body()));
            }
        }
        System.out.println("[http fuzz] " + cases.size() + " connections, first answers: " + outcomes);
        assertTrue(outcomes.getOrDefault("200", 0) > 0 && outcomes.getOrDefault("400", 0) > 0,
                "the mangling leaves some requests whole and breaks others: " + outcomes);
    }

    /** Sends one case on its own connection; the first answer's status, or what happened instead. */
    static String send(LoopbackCertificate cert, int port, byte[] bytes, int n) throws IOException {
        try (SSLSocket s = WebhookProtocolTest.connectTo(cert, port)) {
            s.setSoTimeout(3000);
            try {
                s.getOutputStream().write(bytes);
                s.getOutputStream().flush();
            } catch (IOException e) {
                return "closed while sending"; // the server answered early (and closed) before all was sent
            }
            InputStream in = s.getInputStream();
            WebhookProtocolTest.Answer a;
            try {
                a = WebhookProtocolTest.read(in);
                while (a.status() == 100) {
                    a = WebhookProtocolTest.read(in);
                }
            } catch (SocketTimeoutException e) {
                return "no answer yet";
            } catch (IOException e) {
                return "closed without an answer";
            }
            int status = a.status();
            String why = "case " + n + " (" + new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.ISO_8859_1)
                    + "...) got " + status + ": " + a.text();
            assertTrue(status < 500, why);
            if (status == 200 && a.header("Content-Type").equals("application/json")) {
                Map<String, Object> review = Reviews.answer(a.body());
                assertTrue(review.get("response") instanceof Map<?, ?> r && r.get("uid") != null, why);
            }
            return Integer.toString(status);
        }
    }

    static List<byte[]> cases(Random random) {
        byte[] review = Reviews.bytes("pod-create-privileged.json");
        List<byte[]> seeds = List.of(
                WebhookProtocolTest.post("/validate", review),
                WebhookProtocolTest.post("/mutate", review),
                chunked("/validate", review, 333),
                WebhookProtocolTest.ascii("GET /healthz HTTP/1.1\r\nHost: webhook\r\n\r\n"),
                WebhookProtocolTest.concat(WebhookProtocolTest.ascii("POST /validate HTTP/1.1\r\nHost: webhook\r\nExpect: 100-continue\r\n"
                        + "Content-Length: " + review.length + "\r\n\r\n"), review));
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            byte[] b = seeds.get(random.nextInt(seeds.size()));
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) {
                b = mangle(b, random);
            }
            out.add(b);
        }
        return out;
    }

    static byte[] chunked(String path, byte[] body, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(WebhookProtocolTest.ascii("POST " + path + " HTTP/1.1\r\nHost: webhook\r\nTransfer-Encoding: chunked\r\n\r\n"));
        for (int i = 0; i < body.length; i += size) {
            int n = Math.min(size, body.length - i);
            out.writeBytes(WebhookProtocolTest.ascii(Integer.toHexString(n) + "\r\n"));
            out.write(body, i, n);
            out.writeBytes(WebhookProtocolTest.ascii("\r\n"));
        }
        out.writeBytes(WebhookProtocolTest.ascii("0\r\n\r\n"));
        return out.toByteArray();
    }

    static final String[] TOKENS = {"\r\n", "\n", "\r", "\r\n\r\n", ":", " ", "\0", "Content-Length: 5\r\n", "Content-Length: -1\r\n",
        "Content-Length: 99999999999999999999\r\n", "Transfer-Encoding: chunked\r\n", "Transfer-Encoding: gzip\r\n",
        "Expect: 100-continue\r\n", "Expect: teapot\r\n", "Connection: close\r\n", "HTTP/1.0", "HTTP/2.0", "HTTP/9", "GET ", "POST ",
        "PUT ", "/validate", "/mutate", "/../", "%", "%zz", "?a=b", "ffffffff\r\n", "0\r\n\r\n", "\u00ff", "{", "}",
        "X: " + "y".repeat(20_000) + "\r\n", "/" + "a".repeat(9000)};

    static byte[] mangle(byte[] b, Random random) {
        int at = random.nextInt(b.length + 1);
        return switch (random.nextInt(7)) {
            case 0 -> cut(b, at, Math.min(b.length, at + 1 + random.nextInt(40)));
            case 1 -> splice(b, at, WebhookProtocolTest.ascii(TOKENS[random.nextInt(TOKENS.length)].replace("\u00ff", "\u007f")));
            case 2 -> splice(b, at, randomBytes(random, 1 + random.nextInt(12)));
            case 3 -> java.util.Arrays.copyOf(b, at); // the client stops early
            case 4 -> WebhookProtocolTest.concat(b, b); // two requests in one write
            case 5 -> {
                byte[] c = b.clone();
                if (c.length > 0) {
                    c[Math.min(at, c.length - 1)] ^= (byte) (1 << random.nextInt(8));
                }
                yield c;
            }
            default -> headLine(b, random);
        };
    }

    /** Replaces the value of one header line of the head with a random one. */
    static byte[] headLine(byte[] b, Random random) {
        String text = new String(b, StandardCharsets.ISO_8859_1);
        int head = text.indexOf("\r\n\r\n");
        if (head < 0) {
            return b;
        }
        String[] lines = text.substring(0, head).split("\r\n", -1);
        int i = random.nextInt(lines.length);
        int colon = lines[i].indexOf(':');
        String[] values = {"", " ", "-5", "0", "1", "abc", "chunked", "chunked, chunked", "100-continue", "close", "keep-alive",
            "12 34", "0x10", "+7", "\t9"};
        lines[i] = (colon < 0 ? lines[i] : lines[i].substring(0, colon + 1)) + " " + values[random.nextInt(values.length)];
        return (String.join("\r\n", lines) + text.substring(head)).getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] cut(byte[] b, int from, int to) {
        byte[] c = new byte[b.length - (to - from)];
        System.arraycopy(b, 0, c, 0, from);
        System.arraycopy(b, to, c, from, b.length - to);
        return c;
    }

    static byte[] splice(byte[] b, int at, byte[] insert) {
        byte[] c = new byte[b.length + insert.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(insert, 0, c, at, insert.length);
        System.arraycopy(b, at, c, at + insert.length, b.length - at);
        return c;
    }

    static byte[] randomBytes(Random random, int n) {
        byte[] r = new byte[n];
        random.nextBytes(r);
        return r;
    }
}
