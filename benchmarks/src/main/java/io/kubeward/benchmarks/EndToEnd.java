package io.kubeward.benchmarks;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubeward.admission.benchmark.AdmissionBenchmark;
import io.kubeward.admission.benchmark.LoopbackCertificate;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmarks that run kubeward as its users do, each in fresh JVMs: a scan of a large folder
 * of manifests by the command line's jar, the cold start of {@code bin/kubeward scan}, and the
 * webhook server ({@code kubeward serve}) under the admission benchmark's load.
 */
final class EndToEnd {

    static final String SCAN_AREA = "Manifest scan";
    static final String COLD_START_AREA = "Cold start";
    static final String COLD_START_WALL = "bin/kubeward scan, one small manifest: wall";
    static final String COLD_START_RSS = "bin/kubeward scan, one small manifest: max RSS";
    static final String COLD_START_CDS = "bin/kubeward scan: classes from class-data archives";
    static final String JVM_ALONE = "JVM start alone (java -version)";
    static final String ADMISSION_AREA = "Admission webhook";
    static final String SERVER_HEAP_AFTER_GC = "webhook server at that load: heap after GC, at most";
    static final String SERVER_HEAP_PEAK = "webhook server at that load: peak heap";
    static final String SERVER_RSS_PEAK = "webhook server at that load: peak resident memory";
    /** The webhook server's JVM options: the Dockerfile's, with the heap the target allows. */
    static final List<String> SERVER_JVM = List.of("-XX:+UseSerialGC", "-Xmx256m");

    private EndToEnd() {
    }

    /**
     * {@code files} generated manifests scanned from a cold JVM the way a user runs it, by
     * {@code bin/kubeward scan} (its JVM options and class-data-sharing archive, recorded by a first
     * run that is not counted); then, for reference, by {@code java -jar kubeward-cli-*-all.jar scan}
     * with the JVM's default options. Each the median of up to {@code runs} runs, fewer once its runs
     * have taken a minute (a scan far from its target needs no second run to say so).
     */
    static List<Figure> scan(SuiteContext ctx, int files, int runs) throws IOException, InterruptedException {
        Path dir = ctx.work().resolve("manifests");
        int documents = ManifestCorpus.write(dir, files, 7);
        Path report = ctx.work().resolve("scan-report.json");
        Path log = ctx.log("scan");
        Path launcher = ctx.root().resolve("bin/kubeward");
        List<String> viaLauncher = List.of(launcher.toString(), "scan", dir.toString(), "-o", "json=" + report);
        List<String> viaJar = List.of(SuiteContext.java().toString(), "-jar", ctx.cliJar().toString(), "scan", dir.toString(),
                "-o", "json=" + report);
        scanRun(ctx, viaLauncher, report, log, files); // records the archive, as the first run after a build does
        double launcherSeconds = medianScan(ctx, viaLauncher, report, log, files, runs);
        Object findings = checkReport(report, files);
        double jarSeconds = medianScan(ctx, viaJar, report, log, files, runs);
        deleteTree(dir);
        String what = String.format(Locale.ROOT, "%,d documents, %,d findings, JSON report", documents,
                findings instanceof List<?> l ? l.size() : 0);
        return List.of(
                new Figure(SCAN_AREA, String.format(Locale.ROOT, "%,d manifests, bin/kubeward scan", files), launcherSeconds, "s",
                        what + "; the launcher's JVM options (quick compiler, parallel collector with a young generation half the heap,"
                                + " class-data sharing); "
                                + (runs == 1 ? "one run" : "median of up to " + runs)),
                new Figure(SCAN_AREA, String.format(Locale.ROOT, "%,d manifests, java -jar with default JVM options", files), jarSeconds,
                        "s", what + "; " + (runs == 1 ? "one run" : "median of up to " + runs)));
    }

    private static double medianScan(SuiteContext ctx, List<String> command, Path report, Path log, int files, int runs)
            throws IOException, InterruptedException {
        double[] seconds = new double[runs];
        double spent = 0;
        int done = 0;
        for (int i = 0; i < runs && spent < 60; i++) {
            seconds[i] = scanRun(ctx, command, report, log, files);
            spent += seconds[i];
            done++;
        }
        return PodSecurityBenchmark.median(Arrays.copyOf(seconds, done));
    }

    private static double scanRun(SuiteContext ctx, List<String> command, Path report, Path log, int files)
            throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_TOOL_OPTIONS", null);
        env.put("KUBEWARD_JAVA_OPTS", null);
        Files.deleteIfExists(report);
        SuiteContext.Run run = ctx.run(command, log, env);
        if (run.exit() != 0 && run.exit() != 1) {
            throw new IllegalStateException("the scan ended with exit code " + run.exit() + SuiteContext.tail(log));
        }
        checkReport(report, files);
        return run.seconds();
    }

    /** The report's findings, once it is checked to have read every file without an input error. */
    private static Object checkReport(Path report, int files) throws IOException {
        Map<?, ?> json = new KubernetesSerialization().unmarshal(Files.readString(report, StandardCharsets.UTF_8), Map.class);
        Map<?, ?> summary = (Map<?, ?>) json.get("summary");
        Number scanned = (Number) summary.get("files");
        Number errors = (Number) summary.get("inputErrors");
        if (scanned == null || scanned.intValue() != files || errors == null || errors.intValue() != 0) {
            throw new IllegalStateException("the scan read " + scanned + " of " + files + " files with " + errors + " input errors; report "
                    + report);
        }
        return json.get("findings");
    }

    /**
     * {@code bin/kubeward scan} of one small manifest from a cold JVM, as a CI job runs it: the
     * median wall time and largest resident set of the runs, after a first run that records the
     * class-data-sharing archive (bin/kubeward's first run after a build does); then one more run
     * that logs where each class came from, to tell whether the archive served them.
     */
    static List<Figure> coldStart(SuiteContext ctx, int runs) throws IOException, InterruptedException {
        Path launcher = ctx.root().resolve("bin/kubeward");
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException(launcher + " is missing or not executable");
        }
        Path manifest = ctx.work().resolve("small.yaml");
        Files.writeString(manifest, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: shop
                spec:
                  replicas: 2
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                      - name: web
                        image: nginx:1.27
                        ports:
                        - containerPort: 8080
                        securityContext:
                          allowPrivilegeEscalation: false
                          runAsNonRoot: true
                """, StandardCharsets.UTF_8);
        Path log = ctx.log("cold-start");
        // the launcher's own defaults: no options from the environment
        Map<String, String> env = new HashMap<>();
        env.put("KUBEWARD_JAVA_OPTS", null);
        env.put("JAVA_TOOL_OPTIONS", null);
        List<String> scan = List.of(launcher.toString(), "scan", manifest.toString());
        // an archive recorded by another command (or before the jar was rebuilt) would not serve this one
        Files.deleteIfExists(ctx.cliJar().resolveSibling("kubeward.jsa"));
        SuiteContext.Run first = ctx.run(scan, log, env);
        if (first.exit() > 1) {
            throw new IllegalStateException("bin/kubeward scan ended with exit code " + first.exit() + SuiteContext.tail(log));
        }
        Path time = Path.of("/usr/bin/time");
        boolean rss = Files.isExecutable(time);
        double[] wall = new double[runs];
        double[] megabytes = new double[runs];
        Path timeOut = ctx.work().resolve("time.out");
        for (int i = 0; i < runs; i++) {
            List<String> command = new ArrayList<>();
            if (rss) {
                command.addAll(List.of(time.toString(), "-f", "%e %M", "-o", timeOut.toString()));
            }
            command.addAll(scan);
            SuiteContext.Run run = ctx.run(command, log, env);
            if (run.exit() > 1) {
                throw new IllegalStateException("bin/kubeward scan ended with exit code " + run.exit() + SuiteContext.tail(log));
            }
            wall[i] = run.seconds();
            if (rss) {
                String[] parts = Files.readString(timeOut).trim().split("\\s+");
                megabytes[i] = Long.parseLong(parts[parts.length - 1]) * 1024 / 1e6;
            }
        }
        Path classLog = ctx.work().resolve("class-load.log");
        Map<String, String> logging = new HashMap<>(env);
        logging.put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + classLog);
        ctx.run(scan, log, logging);
        long total = 0;
        long base = 0;
        long top = 0;
        for (String line : Files.readAllLines(classLog, StandardCharsets.UTF_8)) {
            if (line.contains("source:")) {
                total++;
                if (line.contains("source: shared objects file (top)")) {
                    top++;
                } else if (line.contains("source: shared objects file")) {
                    base++;
                }
            }
        }
        double[] jvm = new double[runs];
        for (int i = 0; i < runs; i++) {
            jvm[i] = ctx.run(List.of(SuiteContext.java().toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-version"),
                    log, env).seconds();
        }
        String median = "median of " + runs;
        List<Figure> out = new ArrayList<>();
        out.add(new Figure(COLD_START_AREA, COLD_START_WALL, PodSecurityBenchmark.median(wall), "s", median));
        if (rss) {
            out.add(new Figure(COLD_START_AREA, COLD_START_RSS, PodSecurityBenchmark.median(megabytes), "MB", median + ", /usr/bin/time"));
        }
        out.add(new Figure(COLD_START_AREA, COLD_START_CDS, total == 0 ? 0 : 100.0 * (base + top) / total, "%", String.format(Locale.ROOT,
                "%s: %,d of %,d classes from kubeward.jsa (AppCDS), %,d from the JDK's archive",
                top > 0 ? "AppCDS archive used" : "AppCDS archive NOT used", top, total, base)));
        out.add(new Figure(COLD_START_AREA, JVM_ALONE, PodSecurityBenchmark.median(jvm), "s", median));
        return out;
    }

    /**
     * The webhook server ({@code kubeward serve}, the Dockerfile's JVM options with a 256 MiB heap,
     * namespace labels from a file) driven over HTTPS on loopback by {@link AdmissionBenchmark} in
     * another JVM, which also measures the in-process latency. The server's heap comes from its GC
     * log: the most in use after a collection, and the most before one, over the collections
     * during the load.
     */
    static List<Figure> admission(SuiteContext ctx, int serverWarmUp, int warmup, int seconds, int clients) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(ctx.work().resolve("webhook"));
        LoopbackCertificate cert = LoopbackCertificate.create(dir, "webhook", "EC");
        Path labels = dir.resolve("namespace-labels.yaml");
        Files.writeString(labels, """
                team-a:
                  pod-security.kubernetes.io/enforce: restricted
                  pod-security.kubernetes.io/warn: restricted
                  pod-security.kubernetes.io/audit: restricted
                """, StandardCharsets.UTF_8);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path gcLog = dir.resolve("server-gc.log");
        Path serverOut = dir.resolve("server.out");
        Path serverErr = ctx.log("webhook-server");
        List<String> command = new ArrayList<>(List.of(SuiteContext.java().toString()));
        command.addAll(SERVER_JVM);
        command.addAll(List.of("-Xlog:gc:file=" + gcLog + ":uptime", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-jar", ctx.cliJar().toString(), "serve", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--tls-cert", cert.certFile().toString(), "--tls-key", cert.keyFile().toString(), "--namespace-labels", labels.toString()));
        Files.writeString(serverErr, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8);
        // the server writes an audit line per review to its standard output, as in a cluster
        Process server = new ProcessBuilder(command).directory(ctx.root().toFile())
                .redirectOutput(serverOut.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(serverErr.toFile())).start();
        try {
            Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
            while (!Files.exists(serverOut) || !Files.readString(serverOut, StandardCharsets.UTF_8).contains("serving admission reviews")) {
                if (!server.isAlive()) {
                    throw new IllegalStateException("the webhook server stopped before serving (exit " + server.exitValue() + ")"
                            + SuiteContext.tail(serverErr));
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("the webhook server did not serve within 3 minutes" + SuiteContext.tail(serverErr));
                }
                Thread.sleep(100);
            }
            warmUp(cert, port, serverWarmUp);
            double readyAt = Duration.between(server.info().startInstant().orElse(Instant.now()), Instant.now()).toMillis() / 1e3;
            Path figures = ctx.work().resolve("admission.figures");
            Files.deleteIfExists(figures);
            Path log = ctx.log("admission");
            SuiteContext.Run run = ctx.run(List.of(SuiteContext.java().toString(), "-Xmx512m", "-Xmn384m", "-XX:+UseSerialGC",
                    "-Xlog:gc:file=" + dir.resolve("load-generator-gc.log") + ":uptime", "-Dkubeward.figures=" + figures,
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", ctx.benchJar().toString(), AdmissionRun.class.getName(),
                    "--url", "https://127.0.0.1:" + port + "/validate", "--ca", cert.certFile().toString(),
                    "--clients", String.valueOf(clients), "--warmup", String.valueOf(warmup), "--seconds", String.valueOf(seconds)),
                    log, Map.of());
            if (run.exit() != 0) {
                throw new IllegalStateException("the admission benchmark failed (exit " + run.exit() + ")" + SuiteContext.tail(log));
            }
            if (!server.isAlive()) {
                throw new IllegalStateException("the webhook server stopped under load (exit " + server.exitValue() + ")"
                        + SuiteContext.tail(serverErr));
            }
            List<Figure> out = new ArrayList<>(Figure.read(figures));
            HeapUse heap = HeapUse.fromGcLog(gcLog, readyAt);
            String options = String.join(" ", SERVER_JVM) + " (the Dockerfile's GC)";
            if (heap.collections() == 0) {
                throw new IllegalStateException("the webhook server collected no garbage during the load: no heap figure (" + gcLog + ")");
            }
            out.add(new Figure(ADMISSION_AREA, SERVER_HEAP_AFTER_GC, heap.maxAfterMiB(), "MiB",
                    String.format(Locale.ROOT, "%s; collections under load: %d", options, heap.collections())));
            out.add(new Figure(ADMISSION_AREA, SERVER_HEAP_PEAK, heap.maxBeforeMiB(), "MiB", "in use before a collection, garbage included"));
            double rss = peakResidentMiB(server.pid());
            if (rss > 0) {
                out.add(new Figure(ADMISSION_AREA, SERVER_RSS_PEAK, rss, "MiB",
                        "the server process's peak resident memory (VmHWM): heap, metaspace, code, threads, TLS and network buffers;"
                                + " deploy/webhook's container limit is 768 MiB"));
            }
            return out;
        } finally {
            server.destroy();
            if (!server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            if (Files.readString(serverErr, StandardCharsets.UTF_8).contains("OutOfMemoryError")) {
                throw new IllegalStateException("the webhook server ran out of heap" + SuiteContext.tail(serverErr));
            }
        }
    }

    /** The peak resident set of a process in MiB, from {@code /proc/<pid>/status}; 0 where that cannot be read. */
    static double peakResidentMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").strip()) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone: no figure
        }
        return 0;
    }

    /**
     * Sends the admission benchmark's review to the fresh server from four threads for a while: a
     * cold server's first reviews take seconds (class loading, JIT), and the benchmark's own
     * warm-up is timed for a server that already ran.
     */
    private static void warmUp(LoopbackCertificate cert, int port, int seconds) throws IOException, InterruptedException {
        byte[] body;
        try (var in = AdmissionBenchmark.class.getResourceAsStream("deployment-review.json")) {
            if (in == null) {
                throw new IllegalStateException("the admission benchmark's deployment-review.json is not on the class path");
            }
            body = in.readAllBytes();
        }
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(cert.trustingContext())
                .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://127.0.0.1:" + port + "/validate"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<String> failure = new java.util.concurrent.atomic.AtomicReference<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end && failure.get() == null) {
                    try {
                        int status = client.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (status != 200) {
                            failure.set("the server answered " + status + " while warming up");
                        }
                    } catch (IOException e) {
                        failure.set("the server did not answer while warming up: " + e.getMessage());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "webhook-warm-up-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException(failure.get());
        }
    }

    /** Heap figures read from a JVM's {@code -Xlog:gc:file=...:uptime} log, counting collections from a given uptime. */
    record HeapUse(int collections, double maxBeforeMiB, double maxAfterMiB) {

        private static final Pattern PAUSE = Pattern.compile("^\\[(\\d+(?:\\.\\d+)?)s\\].*?(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

        static HeapUse fromGcLog(Path log, double fromSeconds) throws IOException {
            return parse(Files.readAllLines(log, StandardCharsets.UTF_8), fromSeconds);
        }

        static HeapUse parse(List<String> lines, double fromSeconds) {
            int n = 0;
            double before = 0;
            double after = 0;
            for (String line : lines) {
                Matcher m = PAUSE.matcher(line);
                if (m.find() && Double.parseDouble(m.group(1)) >= fromSeconds) {
                    n++;
                    before = Math.max(before, mib(m.group(2), m.group(3)));
                    after = Math.max(after, mib(m.group(4), m.group(5)));
                }
            }
            return new HeapUse(n, before, after);
        }

        private static double mib(String value, String unit) {
            double v = Double.parseDouble(value);
            return switch (unit) {
                case "K" -> v / 1024;
                case "G" -> v * 1024;
                default -> v;
            };
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
