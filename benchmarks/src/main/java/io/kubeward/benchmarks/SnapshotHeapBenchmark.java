package io.kubeward.benchmarks;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubeward.engine.EvaluationResult;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.PolicyEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The engine evaluating a whole cluster as one snapshot: the {@link ClusterFixture} cluster (pods,
 * their owners, Services, Namespaces, NetworkPolicies, Nodes) handed to
 * {@link PolicyEngine#evaluateSnapshot} with every built-in rule and the restricted profile on.
 * After one warm-up evaluation, measures one more: its time, the peak heap (input included) and
 * the most heap in use after a collection. Run it with the heap it must fit in:
 *
 * <pre>
 * java -Xmx1g -jar benchmarks/target/kubeward-benchmarks-*-all.jar snapshot [--figures FILE] [pods]
 * </pre>
 * Target: 10,000 pods within 1 GiB of heap.
 */
public final class SnapshotHeapBenchmark {

    static final String AREA = "Engine memory";

    private SnapshotHeapBenchmark() {
    }

    public static void main(String[] args) {
        List<String> a = new ArrayList<>(List.of(args));
        Path figures = CommandArgs.take(a, "--figures").map(Path::of).orElse(null);
        int pods = a.isEmpty() ? 10_000 : CommandArgs.positive("pods", a.remove(0));
        CommandArgs.noneLeft(a, "snapshot [--figures FILE] [pods]");
        if (pods % ClusterFixture.PODS_PER_WORKLOAD != 0) {
            throw new IllegalArgumentException("pods must be a multiple of " + ClusterFixture.PODS_PER_WORKLOAD + ", not " + pods);
        }
        long t = System.nanoTime();
        PolicyEngine engine = PolicyEngine.builder().build();
        long built = System.nanoTime();
        double empty = HeapWatch.liveMiB();
        List<InputObject> input = new ArrayList<>();
        for (HasMetadata o : ClusterFixture.cluster(pods)) {
            input.add(InputObject.of(o));
        }
        double withInput = HeapWatch.liveMiB();
        System.out.printf(Locale.ROOT, "engine with %d rules built in %d ms; %,d objects (%,d pods) take %.0f MiB of heap%n",
                engine.catalog().size(), (built - t) / 1_000_000, input.size(), pods, withInput - empty);
        EvaluationResult warm = engine.evaluateSnapshot(input, RulePacks.RESTRICTED);
        System.out.printf(Locale.ROOT, "warm-up evaluation: %,d findings%n", warm.findings().size());
        warm = null;
        double seconds;
        double peak;
        double afterGc;
        long collections;
        int findings;
        try (HeapWatch heap = HeapWatch.start()) {
            long t0 = System.nanoTime();
            EvaluationResult result = engine.evaluateSnapshot(input, RulePacks.RESTRICTED);
            seconds = (System.nanoTime() - t0) / 1e9;
            peak = heap.peakMiB();
            afterGc = heap.maxAfterGcMiB();
            collections = heap.collections();
            findings = result.findings().size();
        }
        System.out.printf(Locale.ROOT, "measured evaluation: %.2f s, %,d findings; peak heap %.0f MiB, after GC at most %.0f MiB"
                + " (the engine and its compiled rules %.0f MiB, the input %.0f MiB); max heap %d MiB%n",
                seconds, findings, peak, afterGc, empty, withInput - empty, Math.round(HeapWatch.maxHeapMiB()));
        String what = String.format(Locale.ROOT, "%,d-pod snapshot, every rule", pods);
        List<Figure> out = new ArrayList<>();
        out.add(new Figure(AREA, what + ": peak heap", peak, "MiB", String.format(Locale.ROOT,
                "-Xmx%dm; engine %.0f MiB and input %.0f MiB included", Math.round(HeapWatch.maxHeapMiB()), empty, withInput - empty)));
        if (collections > 0) { // without a collection during the evaluation there is no after-GC figure
            out.add(new Figure(AREA, what + ": heap after GC, at most", afterGc, "MiB", collections + " collections during the evaluation"));
        }
        out.add(new Figure(AREA, what + ": evaluation", seconds, "s", String.format(Locale.ROOT, "%,d objects, one evaluation", input.size())));
        Figure.append(figures, out);
    }
}
