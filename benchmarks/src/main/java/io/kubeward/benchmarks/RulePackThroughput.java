package io.kubeward.benchmarks;

import io.kubeward.engine.EvaluationOptions;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.PolicyEngine;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Pods per second per thread of one rule pack (or all built-in rules), the restricted profile on,
 * each invocation evaluating the next {@link PodBatches} namespace (100 Deployments with what the
 * pack reads beside them) as one snapshot. JMH's score is by the wall clock; {@link CpuRate} adds
 * the rate by CPU time. For the pod-security pack the set-up first checks that
 * the rules and {@link PlainRestrictedChecks} report the same findings for every pod, and stops
 * the benchmark when they do not.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RulePackThroughput {

    @Param({"host-namespaces", "pod-security", "security-context", "network", "pod-security-policy", RulePacks.ALL})
    public String pack;

    /** Deployments in all, a multiple of 100. */
    @Param("10000")
    public int pods;

    private PolicyEngine engine;
    private EvaluationOptions options;
    private List<List<InputObject>> batches;
    private int next;
    private long invocations;
    private final CpuRate cpu = new CpuRate();

    @Setup
    public void setUp() {
        batches = PodBatches.forPack(pack, pods);
        engine = RulePacks.engine(pack);
        options = RulePacks.RESTRICTED;
        if (pack.equals("pod-security")) {
            PodSecurityBenchmark.crossCheck(PodBatches.flatten(batches), engine, options, new PlainRestrictedChecks(engine.catalog()));
        }
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        invocations = 0;
        cpu.start(iteration.getType() == IterationType.MEASUREMENT);
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        cpu.stop(invocations * PodBatches.PODS_PER_BATCH);
    }

    @TearDown
    public void report() {
        cpu.report(RulePacks.AREA, RulePacks.measure(pack));
    }

    @Benchmark
    @OperationsPerInvocation(PodBatches.PODS_PER_BATCH)
    public int evaluateNamespace() {
        List<InputObject> batch = batches.get(next);
        next = (next + 1) % batches.size();
        invocations++;
        return engine.evaluateSnapshot(batch, options).findings().size();
    }
}
