package io.kubeward.benchmarks;

import io.kubeward.engine.InputObject;
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
 * The yardstick of the pod-security pack: {@link PlainRestrictedChecks}, the same restricted
 * controls in plain Java over the same fact model, on the same batches as {@link RulePackThroughput}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PlainJavaThroughput {

    @Param("10000")
    public int pods;

    private PlainRestrictedChecks plain;
    private List<List<InputObject>> batches;
    private int next;
    private long invocations;
    private final CpuRate cpu = new CpuRate();

    @Setup
    public void setUp() {
        batches = PodBatches.forPack("pod-security", pods);
        // the catalogue gives the findings their severity and title, as the rules' own would
        plain = new PlainRestrictedChecks(RulePacks.engine("pod-security").catalog());
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
        cpu.report(RulePacks.AREA, RulePacks.PLAIN_JAVA);
    }

    @Benchmark
    @OperationsPerInvocation(PodBatches.PODS_PER_BATCH)
    public int evaluateNamespace() {
        int findings = 0;
        for (InputObject o : batches.get(next)) {
            findings += plain.evaluate(o).size();
        }
        next = (next + 1) % batches.size();
        invocations++;
        return findings;
    }
}
