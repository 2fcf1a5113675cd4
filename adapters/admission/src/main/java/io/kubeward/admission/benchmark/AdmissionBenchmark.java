package io.kubeward.admission.benchmark;

import io.kubeward.admission.AdmissionController;
import io.kubeward.admission.AdmissionServer;
import io.kubeward.admission.AuditLog;
import io.kubeward.admission.NamespaceLabels;
import io.kubeward.engine.PolicyEngine;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the webhook: a typical Deployment review (two containers, restricted-compliant) in a
 * namespace labelled {@code restricted} for enforce, warn and audit.
 * <ol>
 *   <li>in process: {@link AdmissionController#validate(byte[])} on one thread, JSON in to JSON
 *       out; the latency of each review;</li>
 *   <li>over HTTPS on loopback: concurrent clients ({@link HttpClient}, keep-alive) against an
 *       {@link AdmissionServer} started here (or a running one, {@code --url}); throughput and
 *       p50/p99/p99.9 latency.</li>
 * </ol>
 * Both warm up first. Options: {@code --clients N} (16), {@code --seconds S} (10), {@code --warmup S}
 * (5), {@code --threads N} (server workers), {@code --rules DIR} (more DRL, e.g. a rule pack under
 * development), {@code --body FILE} (another review), {@code --url https://host:port/validate}
 * with {@code --ca FILE} (drive a running server; the in-process part still runs here).
 */
public final class AdmissionBenchmark {

    private AdmissionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        int clients = Integer.parseInt(opt.getOrDefault("clients", "16"));
        int seconds = Integer.parseInt(opt.getOrDefault("seconds", "10"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "5"));
        byte[] body = opt.containsKey("body") ? Files.readAllBytes(Path.of(opt.get("body"))) : defaultBody();

        PolicyEngine.Builder engineBuilder = PolicyEngine.builder();
        if (opt.containsKey("rules")) {
            engineBuilder.addRuleDirectory(Path.of(opt.get("rules")));
        }
        long t0 = System.nanoTime();
        PolicyEngine engine = engineBuilder.build();
        System.out.printf("engine: %d rules compiled in %.1f s (once, at start)%n", engine.catalog().size(), (System.nanoTime() - t0) / 1e9);
        AdmissionController controller = AdmissionController.builder().engine(engine)
                .namespaceLabels(NamespaceLabels.fixed(Map.of("team-a", Map.of(
                        "pod-security.kubernetes.io/enforce", "restricted",
                        "pod-security.kubernetes.io/warn", "restricted",
                        "pod-security.kubernetes.io/audit", "restricted"))))
                .auditLog(AuditLog.none()).build();
        String sample = new String(controller.validate(body), java.nio.charset.StandardCharsets.UTF_8);
        System.out.println("answer: " + (sample.length() > 300 ? sample.substring(0, 300) + "..." : sample));

        inProcess(controller, body, warmup, seconds);

        if (opt.containsKey("url")) {
            HttpClient client = client(sslFor(Path.of(opt.get("ca"))), clients);
            overHttps(client, URI.create(opt.get("url")), body, clients, warmup, seconds);
            return;
        }
        Path dir = Files.createTempDirectory("kubeward-bench");
        LoopbackCertificate cert = LoopbackCertificate.create(dir, "bench", "EC");
        AdmissionServer.Builder sb = AdmissionServer.builder(controller)
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).tls(cert.certFile(), cert.keyFile());
        if (opt.containsKey("threads")) {
            sb.threads(Integer.parseInt(opt.get("threads")));
        }
        try (AdmissionServer server = sb.start()) {
            HttpClient client = client(cert.trustingContext(), clients);
            overHttps(client, URI.create("https://127.0.0.1:" + server.port() + "/validate"), body, clients, warmup, seconds);
        }
    }

    private static byte[] defaultBody() throws IOException {
        try (InputStream in = AdmissionBenchmark.class.getResourceAsStream("deployment-review.json")) {
            return in.readAllBytes();
        }
    }

    private static void inProcess(AdmissionController controller, byte[] body, int warmupSeconds, int seconds) {
        long end = System.nanoTime() + Duration.ofSeconds(warmupSeconds).toNanos();
        while (System.nanoTime() < end) {
            controller.validate(body);
        }
        long[] samples = new long[1 << 20];
        int n = 0;
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = mx.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        end = start + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < end && n < samples.length) {
            long s = System.nanoTime();
            controller.validate(body);
            samples[n++] = System.nanoTime() - s;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpuMicros = (mx.getCurrentThreadCpuTime() - cpuStart) / 1e3 / Math.max(1, n);
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        System.out.printf("in process, 1 thread: %d reviews in %.1f s = %.0f reviews/s; latency p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms;"
                + " CPU %.1f us per review%n", n, elapsed, n / elapsed, ms(sorted, 0.50), ms(sorted, 0.99), ms(sorted, 0.999), cpuMicros);
        SuiteFigures.add("in process, 1 thread: reviews/s", n / elapsed, "reviews/s");
        SuiteFigures.add("in process, 1 thread: p99 latency", ms(sorted, 0.99), "ms");
    }

    private static void overHttps(HttpClient client, URI uri, byte[] body, int clients, int warmupSeconds, int seconds) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong errors = new AtomicLong();
        List<long[]> perClient = new ArrayList<>();
        int[] counts = new int[clients];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long[] samples = new long[1 << 20];
            perClient.add(samples);
            int id = c;
            Thread t = new Thread(() -> {
                while (running.get()) {
                    long s = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (measuring.get() && counts[id] < samples.length) {
                        samples[counts[id]++] = System.nanoTime() - s;
                    }
                }
            }, "bench-client-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        Thread.sleep(Duration.ofSeconds(warmupSeconds).toMillis());
        long errorsBefore = errors.get();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(Duration.ofSeconds(seconds).toMillis());
        measuring.set(false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpu = os.getProcessCpuTime() - cpuStart;
        running.set(false);
        for (Thread t : threads) {
            t.join(30_000);
        }
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(perClient.get(c), 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        System.out.printf("over HTTPS, %d clients: %d reviews in %.1f s = %.0f reviews/s; latency p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms;"
                + " %d errors; CPU of this process (clients and, unless --url, server) %.0f us per review%n",
                clients, total, elapsed, total / elapsed, ms(all, 0.50), ms(all, 0.99), ms(all, 0.999), errors.get() - errorsBefore,
                cpu / 1e3 / Math.max(1, total));
        SuiteFigures.add("over HTTPS, " + clients + " clients: reviews/s", total / elapsed, "reviews/s");
        SuiteFigures.add("over HTTPS, " + clients + " clients: p99 latency", ms(all, 0.99), "ms");
        SuiteFigures.add("over HTTPS, " + clients + " clients: errors", errors.get() - errorsBefore, "errors");
        System.out.printf("load average now: %.2f on %d processors (other work on the machine inflates the latencies)%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }

    private static double ms(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    private static HttpClient client(javax.net.ssl.SSLContext tls, int clients) {
        return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .executor(java.util.concurrent.Executors.newFixedThreadPool(Math.max(2, clients / 4)))
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static javax.net.ssl.SSLContext sslFor(Path caFile) throws Exception {
        java.security.cert.CertificateFactory cf = java.security.cert.CertificateFactory.getInstance("X.509");
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (java.security.cert.Certificate c : cf.generateCertificates(in)) {
                trust.setCertificateEntry("ca" + i++, c);
            }
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: AdmissionBenchmark [--clients N] [--seconds S] [--warmup S] [--threads N]"
                        + " [--rules DIR] [--body FILE] [--url URL --ca FILE]; bad argument: " + args[i]);
            }
            out.put(args[i].substring(2), args[++i]);
        }
        return out;
    }
}
