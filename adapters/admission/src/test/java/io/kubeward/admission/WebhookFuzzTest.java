package io.kubeward.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kubeward.admission.benchmark.LoopbackCertificate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throws a few thousand random and mutated bodies at the webhook over HTTPS: every answer must be
 * a 200 with a well-formed AdmissionReview or a 400, never a 5xx or a dropped connection. The seed
 * is fixed (override with -Dkubeward.fuzz.seed) so a failure can be replayed.
 */
class WebhookFuzzTest {

    static final int BODIES = Integer.getInteger("kubeward.fuzz.bodies", 2500);
    static final long SEED = Long.getLong("kubeward.fuzz.seed", 20261125L);
    static final String[] FIXTURES = {"pod-create-privileged.json", "pod-create-compliant.json", "pod-create-host-network.json",
        "deployment-create.json", "cronjob-create.json", "pod-ephemeralcontainers.json", "deployment-update-template.json",
        "pod-delete.json", "pod-connect-exec.json", "pod-create-privileged-v1beta1.json", "pod-update-status.json"};

    @TempDir
    Path dir;

    @Test
    void everyBodyGetsA200ReviewOrA400() throws Exception {
        LoopbackCertificate cert = LoopbackCertificate.create(dir, "fuzz", "EC");
        AdmissionController controller = AdmissionController.builder().engine(TestEngines.shared())
                .config(AdmissionConfig.DEFAULT.withMaxRequestBytes(64 * 1024))
                .namespaceLabels(NamespaceLabels.fixed(Map.of("team-a", Map.of("pod-security.kubernetes.io/enforce", "restricted",
                        "pod-security.kubernetes.io/audit", "baseline", "pod-security.kubernetes.io/warn", "restricted"))))
                .auditLog(AuditLog.none())
                .defaulter(r -> new PodDefaulter.Mutation(null, "[{\"op\":\"add\",\"path\":\"/metadata/labels/x\",\"value\":\"y\"}]", List.of()))
                .build();
        List<byte[]> bodies = bodies(new Random(SEED));
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger bad = new AtomicInteger();
        try (AdmissionServer server = AdmissionServer.builder(controller)
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .tls(cert.certFile(), cert.keyFile()).threads(4).shutdownGrace(Duration.ofSeconds(5)).start()) {
            HttpClient client = HttpClient.newBuilder().sslContext(cert.trustingContext()).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            long started = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < bodies.size(); i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    byte[] body = bodies.get(n);
                    String path = n % 5 == 0 ? "/mutate" : "/validate";
                    HttpResponse<byte[]> r;
                    try {
                        r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
                                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                    } catch (Exception e) {
                        throw new AssertionError("body " + n + " (seed " + SEED + "): no answer: " + e + "\n" + preview(body), e);
                    }
                    if (r.statusCode() == 400) {
                        String text = new String(r.body(), StandardCharsets.UTF_8);
                        assertTrue(text.startsWith("kubeward: ") && text.length() > 12, "body " + n + ": a 400 says why: " + text);
                        bad.incrementAndGet();
                        return null;
                    }
                    assertEquals(200, r.statusCode(), () -> "body " + n + " (seed " + SEED + "): " + new String(r.body(), StandardCharsets.UTF_8)
                            + "\n" + preview(body));
                    wellFormed(r.body(), n);
                    ok.incrementAndGet();
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            System.out.printf("fuzz (seed %d): %d bodies in %.1f s: %d answered, %d refused with 400%n", SEED, bodies.size(),
                    (System.nanoTime() - started) / 1e9, ok.get(), bad.get());
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/healthz"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
        }
        assertEquals(bodies.size(), ok.get() + bad.get());
        // the mix must exercise both outcomes, or the mutations are too weak or too strong
        assertTrue(ok.get() > bodies.size() / 10 && bad.get() > bodies.size() / 10, "answered " + ok + ", refused " + bad);
    }

    static void wellFormed(byte[] json, int n) {
        Map<String, Object> review = Reviews.answer(json);
        Object apiVersion = review.get("apiVersion");
        assertTrue("admission.k8s.io/v1".equals(apiVersion) || "admission.k8s.io/v1beta1".equals(apiVersion), "body " + n + ": " + apiVersion);
        assertEquals("AdmissionReview", review.get("kind"));
        Map<String, Object> response = Reviews.response(json);
        assertTrue(response.get("uid") instanceof String s && !s.isBlank(), "body " + n + ": uid");
        if (!(response.get("allowed") instanceof Boolean allowed)) {
            fail("body " + n + ": allowed is not a boolean: " + response);
            return;
        }
        if (!allowed) {
            assertTrue(Reviews.status(json).get("code") instanceof Integer, "body " + n + ": a denial has a status code");
        }
    }

    static String preview(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        return s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }

    static List<byte[]> bodies(Random random) {
        List<Map<String, Object>> fixtures = new ArrayList<>();
        for (String f : FIXTURES) {
            fixtures.add(Reviews.tree(f));
        }
        List<byte[]> out = new ArrayList<>(BODIES);
        for (int i = 0; i < BODIES; i++) {
            Map<String, Object> base = Reviews.tree(FIXTURES[random.nextInt(FIXTURES.length)]);
            int kind = random.nextInt(10);
            if (kind < 5) {
                int edits = 1 + random.nextInt(3);
                for (int e = 0; e < edits; e++) {
                    mutate(base, random, 0);
                }
                out.add(Reviews.json(base));
            } else if (kind < 8) {
                out.add(mangle(Reviews.json(base), random));
            } else if (kind == 8) {
                out.add(randomBytes(random));
            } else {
                out.add(Reviews.json(base)); // unmodified: must be answered
            }
        }
        out.add("[".repeat(100_000).getBytes(StandardCharsets.US_ASCII));
        out.add(("{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000)).getBytes(StandardCharsets.US_ASCII));
        out.add(new byte[0]);
        return out;
    }

    /** Changes one random place of a JSON tree: drops, retypes, nulls or swaps a value. */
    @SuppressWarnings("unchecked")
    static void mutate(Object node, Random random, int depth) {
        if (node instanceof Map<?, ?> m && !m.isEmpty()) {
            Map<String, Object> map = (Map<String, Object>) m;
            List<String> keys = new ArrayList<>(map.keySet());
            String key = keys.get(random.nextInt(keys.size()));
            Object child = map.get(key);
            if ((child instanceof Map || child instanceof List) && random.nextInt(4) != 0 && depth < 12) {
                mutate(child, random, depth + 1);
                return;
            }
            switch (random.nextInt(5)) {
                case 0 -> map.remove(key);
                case 1 -> map.put(key, null);
                case 2 -> map.put(key, randomValue(random));
                case 3 -> map.put(key + "x", child);
                default -> map.put(key, child instanceof String s ? s + "\u0000\u00e9\ud83d\ude00" : List.of(child == null ? "" : child));
            }
        } else if (node instanceof List<?> l && !l.isEmpty()) {
            List<Object> list = (List<Object>) l;
            int i = random.nextInt(list.size());
            Object child = list.get(i);
            if ((child instanceof Map || child instanceof List) && random.nextBoolean() && depth < 12) {
                mutate(child, random, depth + 1);
                return;
            }
            try {
                switch (random.nextInt(3)) {
                    case 0 -> list.remove(i);
                    case 1 -> list.set(i, randomValue(random));
                    default -> list.add(child);
                }
            } catch (UnsupportedOperationException e) {
                // an immutable list from an earlier mutation: leave it
            }
        }
    }

    static Object randomValue(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextLong();
            case 3 -> random.nextDouble() * 1e300;
            case 4 -> "";
            case 5 -> List.of(1, "two", Map.of());
            case 6 -> new LinkedHashMap<>(Map.of("kind", "Pod", "apiVersion", "v1"));
            case 7 -> "CREATE";
            default -> Long.toString(random.nextLong(), 36);
        };
    }

    /** Byte-level damage: truncation, flipped bytes, inserted garbage. */
    static byte[] mangle(byte[] body, Random random) {
        byte[] b = body.clone();
        switch (random.nextInt(3)) {
            case 0 -> {
                return java.util.Arrays.copyOf(b, random.nextInt(b.length));
            }
            case 1 -> {
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
                return b;
            }
            default -> {
                int at = random.nextInt(b.length);
                byte[] junk = randomBytes(random);
                byte[] out = new byte[b.length + junk.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(junk, 0, out, at, junk.length);
                System.arraycopy(b, at, out, at + junk.length, b.length - at);
                return out;
            }
        }
    }

    static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(200)];
        random.nextBytes(b);
        if (b.length > 0 && random.nextBoolean()) {
            b[0] = '{';
        }
        return b;
    }
}
