package io.kubeward.benchmarks;

import io.kubeward.engine.EvaluationOptions;
import io.kubeward.engine.Finding;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.PodSecurityProfile;
import io.kubeward.engine.PolicyEngine;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * Throughput of the Pod Security Standards rules, restricted profile at the latest policy version,
 * over generated Deployments (two containers and one init container each), against a plain-Java
 * implementation of the same controls. Checks first that both report the same findings (rule,
 * path, message) for every pod; then warms up and times rounds over the whole set, and prints pods per
 * second per thread (median of the rounds) and the ratio to plain Java.
 *
 * <pre>
 * java -jar benchmarks/target/kubeward-benchmarks-*-all.jar pod-security [--pods 10000] [--warmup 5] [--rounds 10] [--threads 1]
 *     [--mode <text>]
 * </pre>
 * {@code --mode} keeps only the modes whose name contains the text (plain Java always runs: it is the yardstick).
 */
public final class PodSecurityBenchmark {

    private PodSecurityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int pods = intArg(args, "--pods", 10_000);
        int warmup = intArg(args, "--warmup", 5);
        int rounds = intArg(args, "--rounds", 10);
        int threads = intArg(args, "--threads", 1);
        String only = stringArg(args, "--mode", "");

        List<InputObject> objects = PodTemplates.generate(pods, 42);
        long t0 = System.nanoTime();
        PolicyEngine pssEngine = PolicyEngine.builder().onlyBuiltinPacks("kubeward.podsecurity").build();
        long t1 = System.nanoTime();
        PolicyEngine fullEngine = PolicyEngine.builder().build();
        long t2 = System.nanoTime();
        EvaluationOptions options = new EvaluationOptions(PodSecurityProfile.latest(PodSecurityProfile.Level.RESTRICTED));
        PlainRestrictedChecks plain = new PlainRestrictedChecks(pssEngine.catalog());

        System.out.printf(Locale.ROOT, "kubeward Pod Security benchmark: restricted:%s, %d Deployments x 3 containers, "
                        + "%d warm-up + %d timed rounds, %d thread(s), Java %s, %d CPU(s)%n",
                PodSecurityProfile.latest(PodSecurityProfile.Level.RESTRICTED).version(), pods, warmup, rounds, threads,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "engine build: pod-security rules %d ms (%d rules), all built-in rules %d ms (%d rules); "
                        + "%s%n", (t1 - t0) / 1_000_000, pssEngine.catalog().size(), (t2 - t1) / 1_000_000, fullEngine.catalog().size(),
                fullEngine.precompiledRuleCount() > 0 ? "precompiled (executable model)" : "compiled from DRL");

        long findings = crossCheck(objects, pssEngine, options, plain);
        System.out.printf(Locale.ROOT, "cross-check: rules and plain Java report the same findings (rule, path, message) for all %d pods (%d findings, %d pods clean)%n",
                pods, findings, objects.stream().filter(o -> plain.evaluate(o).isEmpty()).count());

        List<Mode> modes = List.of(
                new Mode("plain Java, one pod at a time", list -> {
                    long n = 0;
                    for (InputObject o : list) {
                        n += plain.evaluate(o).size();
                    }
                    return n;
                }),
                new Mode("rules (pod-security only), one evaluation per pod", list -> perPod(pssEngine, options, list)),
                new Mode("rules (pod-security only), 100 pods per evaluation", list -> batched(pssEngine, options, list, 100)),
                new Mode("rules (pod-security only), all pods in one evaluation", list -> batched(pssEngine, options, list, list.size())),
                new Mode("rules (all built-in), one evaluation per pod", list -> perPod(fullEngine, options, list)),
                new Mode("rules (all built-in), 100 pods per evaluation", list -> batched(fullEngine, options, list, 100)));

        double plainRate = 0;
        double plainBest = 0;
        System.out.printf(Locale.ROOT, "%-54s %15s %15s %15s %9s %9s%n", "mode (median of rounds)", "pods/CPU-s/thr", "best round",
                "pods/wall-s/thr", "vs plain", "(best)");
        for (Mode m : modes) {
            if (!m.name().startsWith("plain") && !m.name().contains(only)) {
                continue;
            }
            double[][] rates = measure(m, objects, warmup, rounds, threads);
            double median = median(rates[0]);
            double best = Arrays.stream(rates[0]).max().orElse(0);
            if (plainRate == 0) {
                plainRate = median;
                plainBest = best;
            }
            System.out.printf(Locale.ROOT, "%-54s %,15.0f %,15.0f %,15.0f %8.1fx %8.1fx%n", m.name(), median,
                    best, median(rates[1]), plainRate / median, plainBest / best);
        }
        System.out.println("pods/CPU-s/thr: pods per second of the evaluating thread's own CPU time (the machine's other load"
                + " and GC threads excluded); vs plain: how many times slower than plain Java, by CPU time (medians; best rounds)");
    }

    record Mode(String name, ToLongFunction<List<InputObject>> run) {
    }

    static long perPod(PolicyEngine engine, EvaluationOptions options, List<InputObject> list) {
        long n = 0;
        for (InputObject o : list) {
            n += engine.evaluate(o, options).findings().size();
        }
        return n;
    }

    static long batched(PolicyEngine engine, EvaluationOptions options, List<InputObject> list, int size) {
        long n = 0;
        for (int i = 0; i < list.size(); i += size) {
            n += engine.evaluateSnapshot(list.subList(i, Math.min(list.size(), i + size)), options).findings().size();
        }
        return n;
    }

    /**
     * Pods per second per thread, one pair of figures per timed round: by the thread's CPU time
     * (what a thread of its own would do, whatever else the machine runs) and by wall-clock time.
     * Each thread runs the whole set, as many times per round as make the round last about a
     * second (fast modes would otherwise be timed over a few milliseconds).
     */
    static double[][] measure(Mode mode, List<InputObject> objects, int warmup, int rounds, int threads) throws Exception {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            double[][] rates = new double[2][rounds];
            long sink = 0;
            int repeat = 1;
            for (int r = -warmup; r < rounds; r++) {
                int times = repeat;
                List<Future<long[]>> runs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    runs.add(pool.submit(() -> {
                        long cpuStart = cpu.getCurrentThreadCpuTime();
                        long start = System.nanoTime();
                        long n = 0;
                        for (int k = 0; k < times; k++) {
                            n += mode.run().applyAsLong(objects);
                        }
                        return new long[] {cpu.getCurrentThreadCpuTime() - cpuStart, System.nanoTime() - start, n};
                    }));
                }
                double byCpu = 0;
                double byWall = 0;
                long slowest = 0;
                for (Future<long[]> f : runs) {
                    long[] res = f.get();
                    byCpu += (double) objects.size() * times / (res[0] / 1e9);
                    byWall += (double) objects.size() * times / (res[1] / 1e9);
                    slowest = Math.max(slowest, res[0]);
                    sink += res[2];
                }
                if (r == -warmup) {
                    repeat = (int) Math.max(1, Math.ceil(1e9 / Math.max(1, slowest)));
                }
                if (r >= 0) {
                    rates[0][r] = byCpu / threads;
                    rates[1][r] = byWall / threads;
                }
            }
            if (sink < 0) {
                System.out.println(sink);
            }
            return rates;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Fails unless the rules and the plain checks report the same findings (rule, path, message), pod by pod. */
    static long crossCheck(List<InputObject> objects, PolicyEngine engine, EvaluationOptions options, PlainRestrictedChecks plain) {
        long total = 0;
        for (InputObject o : objects) {
            Set<String> byRules = keys(engine.evaluate(o, options).findings());
            Set<String> byPlain = keys(plain.evaluate(o));
            if (!byRules.equals(byPlain)) {
                throw new IllegalStateException("rules and plain Java disagree on " + o.ref() + ":\n  rules: " + byRules + "\n  plain: " + byPlain);
            }
            total += byRules.size();
        }
        return total;
    }

    static Set<String> keys(List<Finding> findings) {
        return findings.stream().map(f -> f.rule() + " " + f.path() + " " + f.message()).collect(Collectors.toCollection(TreeSet::new));
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                try {
                    return Integer.parseInt(args[i + 1]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + " needs a whole number, not '" + args[i + 1] + "'");
                }
            }
        }
        return fallback;
    }
}
