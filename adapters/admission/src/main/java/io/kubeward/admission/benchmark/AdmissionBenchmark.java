package io.kubeward.admission.benchmark;

import io.kubeward.admission.AdmissionController;
import io.kubeward.admission.AdmissionServer;
import io.kubeward.admission.AuditLog;
import io.kubeward.admission.NamespaceLabels;
import io.kubeward.engine.PolicyEngine;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Measures the webhook: a typical Deployment review (two containers, restricted-compliant) in a
 * namespace labelled {@code restricted} for enforce, warn and audit.
 * <ol>
 *   <li>in process: {@link AdmissionController#validate(byte[])} on one thread, JSON in to JSON
 *       out; the latency of each review and the thread's CPU time;</li>
 *   <li>over HTTPS on loopback: an {@link AdmissionServer} started here (or a running one,
 *       {@code --url}) driven by the {@link LoadGenerator}'s keep-alive clients, in a closed loop
 *       (the throughput) and at fixed rates (the latency at that load); throughput, p50/p99/p99.9
 *       latency, errors, and the CPU time per review of the load generator and of the server.</li>
 * </ol>
 * Everything warms up first (for {@code --warmup} seconds and on until the JIT compiler is idle),
 * and the load average is printed beside the figures: on a shared machine it says how far they
 * can be trusted. Options: {@code --clients N} (16), {@code --seconds S} (10), {@code --warmup S}
 * (20), {@code --rate R[,R...]} (requests per second of the HTTPS runs, 0 for a closed loop;
 * {@code 0,3000}), {@code --threads N} (server workers),
 * {@code --only in-process|https}, {@code --rules DIR} (more DRL, e.g. a rule pack under
 * development), {@code --body FILE} (another review), {@code --url https://host:port/validate}
 * with {@code --ca FILE} (drive a running server, e.g. {@code kubeward serve}; any 200 counts).
 */
public final class AdmissionBenchmark {

    private static final Set<String> OPTIONS =
            Set.of("clients", "seconds", "warmup", "rate", "threads", "only", "rules", "body", "url", "ca");

    private AdmissionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        int clients = Integer.parseInt(opt.getOrDefault("clients", "16"));
        int seconds = Integer.parseInt(opt.getOrDefault("seconds", "10"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "20"));
        List<Double> rates = new ArrayList<>();
        for (String r : opt.getOrDefault("rate", "0,3000").split(",")) {
            rates.add(Double.parseDouble(r.strip()));
        }
        String only = opt.getOrDefault("only", "");
        byte[] body = opt.containsKey("body") ? Files.readAllBytes(Path.of(opt.get("body"))) : defaultBody();
        System.out.printf("machine: %d processors, load average %s; Java %s%n", Runtime.getRuntime().availableProcessors(),
                loadAverage(), System.getProperty("java.version"));

        if (opt.containsKey("url") && only.equals("https")) {
            SSLContext tls = trusting(Path.of(opt.get("ca")));
            overHttps(new LoadGenerator(tls, URI.create(opt.get("url")), body, null), clients, rates, warmup, seconds, false);
            return;
        }
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
        byte[] answer = controller.validate(body);
        String sample = new String(answer, StandardCharsets.UTF_8);
        System.out.println("answer: " + (sample.length() > 300 ? sample.substring(0, 300) + "..." : sample));

        if (!only.equals("https")) {
            inProcess(controller, body, warmup, seconds);
        }
        if (only.equals("in-process")) {
            return;
        }
        if (opt.containsKey("url")) {
            SSLContext tls = trusting(Path.of(opt.get("ca")));
            overHttps(new LoadGenerator(tls, URI.create(opt.get("url")), body, null), clients, rates, warmup, seconds, false);
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
            URI uri = URI.create("https://127.0.0.1:" + server.port() + "/validate");
            overHttps(new LoadGenerator(cert.trustingContext(), uri, body, answer), clients, rates, warmup, seconds, true);
        }
    }

    private static byte[] defaultBody() throws IOException {
        try (InputStream in = AdmissionBenchmark.class.getResourceAsStream("deployment-review.json")) {
            return in.readAllBytes();
        }
    }

    private static void inProcess(AdmissionController controller, byte[] body, int warmupSeconds, int seconds) {
        // warm up for the time asked, and on until the compiler has been idle for two seconds
        // (at most two minutes more)
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long warmStart = System.nanoTime();
        long end = warmStart + Duration.ofSeconds(warmupSeconds).toNanos();
        long giveUp = end + Duration.ofMinutes(2).toNanos();
        long compiled = -1;
        long quietSince = 0;
        for (long now = System.nanoTime(); now < giveUp; now = System.nanoTime()) {
            for (int i = 0; i < 100; i++) {
                controller.validate(body);
            }
            long c = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
            if (c != compiled) {
                compiled = c;
                quietSince = now;
            } else if (now >= end && now - quietSince >= 2_000_000_000L) {
                break;
            }
        }
        double warmedFor = (System.nanoTime() - warmStart) / 1e9;
        long[] samples = new long[1 << 16];
        int n = 0;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        String loadBefore = loadAverage();
        long cpuStart = mx.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        end = start + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < end) {
            long s = System.nanoTime();
            controller.validate(body);
            if (n == samples.length) {
                samples = Arrays.copyOf(samples, n * 2);
            }
            samples[n++] = System.nanoTime() - s;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpuMicros = (mx.getCurrentThreadCpuTime() - cpuStart) / 1e3 / Math.max(1, n);
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        System.out.printf("in process, 1 thread, after %.0f s warm-up: %,d reviews in %.1f s = %,.0f reviews/s; latency p50 %.3f ms,"
                + " p99 %.3f ms, p99.9 %.3f ms, max %.2f ms; CPU %.1f us per review; load average %s -> %s%n", warmedFor, n, elapsed,
                n / elapsed, ms(sorted, 0.50), ms(sorted, 0.99), ms(sorted, 0.999), sorted[n - 1] / 1e6, cpuMicros, loadBefore, loadAverage());
        SuiteFigures.add("in process, 1 thread: reviews/s", n / elapsed, "reviews/s");
        SuiteFigures.add("in process, 1 thread: p99 latency", ms(sorted, 0.99), "ms");
    }

    private static void overHttps(LoadGenerator load, int clients, List<Double> rates, int warmupSeconds, int seconds, boolean serverHere)
            throws InterruptedException {
        for (double rate : rates) {
            String loadBefore = loadAverage();
            LoadGenerator.Result r = load.run(clients, rate, Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(seconds), serverHere);
            String how = rate > 0 ? String.format("fixed rate %,.0f/s", rate) : "closed loop";
            double perReview = 1e3 * Math.max(1, r.completed());
            String cpu;
            if (serverHere) {
                long loops = r.cpuByThreads().getOrDefault("kubeward-admission-", 0L);
                long acceptor = r.cpuByThreads().getOrDefault("kubeward-admission-acceptor", 0L);
                long java = r.cpuByThreads().values().stream().mapToLong(Long::longValue).sum();
                cpu = String.format("CPU per review: server %.0f us (event loops %.0f, acceptor %.0f, JVM's own threads %.0f),"
                        + " load generator %.0f us", (r.processCpuNanos() - r.clientCpuNanos()) / perReview, loops / perReview,
                        acceptor / perReview, (r.processCpuNanos() - java) / perReview, r.clientCpuNanos() / perReview);
            } else {
                cpu = String.format("CPU per review: load generator %.0f us", r.clientCpuNanos() / perReview);
            }
            System.out.printf("over HTTPS, %d keep-alive clients, %s, after %.0f s warm-up: %,d reviews in %.1f s = %,.0f reviews/s;"
                    + " latency p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.1f ms; %d errors, %d connections opened; %s;"
                    + " load average %s -> %s%n",
                    clients, how, r.warmupSeconds(), r.completed(), r.seconds(), r.throughput(), r.millis(0.50), r.millis(0.99),
                    r.millis(0.999), r.maxMillis(), r.errors(), r.connections(), cpu, loadBefore, loadAverage());
            if (r.firstError() != null) {
                System.out.println("  first error: " + r.firstError());
            }
            String label = rate > 0 ? String.format(java.util.Locale.ROOT, "over HTTPS, fixed rate %.0f/s", rate)
                    : "over HTTPS, " + clients + " clients";
            SuiteFigures.add(label + ": reviews/s", r.throughput(), "reviews/s");
            SuiteFigures.add(label + ": p99 latency", r.millis(0.99), "ms");
            SuiteFigures.add(label + ": errors", r.errors(), "errors");
        }
    }

    private static double ms(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    /** The 1, 5 and 15 minute load averages. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static SSLContext trusting(Path caFile) throws Exception {
        java.security.cert.CertificateFactory cf = java.security.cert.CertificateFactory.getInstance("X.509");
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (java.security.cert.Certificate c : cf.generateCertificates(in)) {
                trust.setCertificateEntry("ca" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!OPTIONS.contains(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: AdmissionBenchmark [--clients N] [--seconds S] [--warmup S] [--rate R[,R...]]"
                        + " [--threads N] [--only in-process|https] [--rules DIR] [--body FILE] [--url URL --ca FILE]; bad argument: "
                        + args[i]);
            }
            out.put(name, args[++i]);
        }
        if (out.containsKey("url") != out.containsKey("ca")) {
            throw new IllegalArgumentException("--url and --ca go together: the server's address and the certificate to trust");
        }
        return out;
    }
}
