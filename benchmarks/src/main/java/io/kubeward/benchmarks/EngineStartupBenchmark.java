package io.kubeward.benchmarks;

import io.kubeward.engine.EvaluationOptions;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.PodSecurityProfile;
import io.kubeward.engine.PolicyEngine;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;

/**
 * How long a fresh JVM takes to get a working engine with the built-in rules: the first
 * {@code PolicyEngine.builder().build()} (class loading included, as a command-line run pays it),
 * the first evaluation of a Deployment after it, and then further builds in the same JVM (as a
 * reloading server pays them). Run it in a JVM of its own: only the first figures are cold. Beside
 * wall-clock time, the CPU time of the building thread: what the other load of a shared machine
 * changes least (the JIT compiler's own threads are left out).
 *
 * <pre>
 * java -cp benchmarks/target/kubeward-benchmarks-*-all.jar io.kubeward.benchmarks.EngineStartupBenchmark [--builds 5]
 * </pre>
 */
public final class EngineStartupBenchmark {

    private EngineStartupBenchmark() {
    }

    public static void main(String[] args) {
        int builds = PodSecurityBenchmark.intArg(args, "--builds", 5);
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long beforeMain = System.currentTimeMillis() - jvmStart;
        List<InputObject> objects = PodTemplates.generate(2, 7);
        EvaluationOptions options = new EvaluationOptions(PodSecurityProfile.latest(PodSecurityProfile.Level.RESTRICTED));

        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long c0 = cpu.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        PolicyEngine engine = PolicyEngine.builder().build();
        long t1 = System.nanoTime();
        long c1 = cpu.getCurrentThreadCpuTime();
        int findings = engine.evaluate(objects.get(0), options).findings().size();
        long t2 = System.nanoTime();
        long c2 = cpu.getCurrentThreadCpuTime();
        long firstResult = System.currentTimeMillis() - jvmStart;
        findings += engine.evaluate(objects.get(1), options).findings().size();
        long t3 = System.nanoTime();

        System.out.printf(Locale.ROOT, "kubeward engine start-up: Java %s, %d CPU(s), %d rules, %d ms from JVM start to main%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), engine.catalog().size(), beforeMain);
        System.out.printf(Locale.ROOT, "first build (built-in rules, cold JVM): %,d ms (%,d ms CPU of the building thread), %s%n",
                (t1 - t0) / 1_000_000, (c1 - c0) / 1_000_000,
                engine.precompiledRuleCount() > 0 ? engine.precompiledRuleCount() + " DRL rules precompiled" : "compiled from DRL");
        System.out.printf(Locale.ROOT, "first evaluation (one Deployment, restricted profile): %,d ms (%,d ms CPU); second: %,d ms (%d findings)%n",
                (t2 - t1) / 1_000_000, (c2 - c1) / 1_000_000, (t3 - t2) / 1_000_000, findings);
        long[] times = new long[builds];
        for (int i = 0; i < builds; i++) {
            long s = System.nanoTime();
            PolicyEngine again = PolicyEngine.builder().build();
            times[i] = (System.nanoTime() - s) / 1_000_000;
            if (again.catalog().size() != engine.catalog().size()) {
                throw new IllegalStateException("a later build has " + again.catalog().size() + " rules, the first " + engine.catalog().size());
            }
        }
        System.out.printf(Locale.ROOT, "later builds in the same JVM (ms): %s%n", java.util.Arrays.toString(times));
        System.out.printf(Locale.ROOT, "JVM start to the first result: %,d ms%n", firstResult);
    }
}
