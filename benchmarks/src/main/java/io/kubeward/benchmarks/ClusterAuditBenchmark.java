package io.kubeward.benchmarks;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubeward.cluster.AuditResult;
import io.kubeward.cluster.AuditScope;
import io.kubeward.cluster.ClusterAuditor;
import io.kubeward.cluster.ClusterConnection;
import io.kubeward.cluster.ClusterSnapshot;
import io.kubeward.cluster.ResourceKind;
import io.kubeward.engine.PolicyEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Audit wall time and peak heap of the {@link ClusterFixture} cluster served by the paged mock API
 * server ({@link PagedApiServer}) in this JVM, read by the real client in pages of 500 and evaluated
 * with every built-in rule. The server's store, page building and JSON work count in both figures.
 * Warms up with three audits of 1,000 pods; then, for each size, the median of the runs.
 *
 * <pre>
 * java -Xmx1g -jar benchmarks/target/kubeward-benchmarks-*-all.jar cluster-audit [--runs 3] [--figures FILE] [pods...]
 * </pre>
 * Sizes default to 10,000 pods. Target: 10,000 pods in under 20 s and 1 GiB of heap.
 */
public final class ClusterAuditBenchmark {

    static final String AREA = "Cluster audit";
    static final int WARM_UP_PODS = 1_000;

    private ClusterAuditBenchmark() {
    }

    public static void main(String[] args) {
        List<String> a = new ArrayList<>(List.of(args));
        Path figures = CommandArgs.take(a, "--figures").map(Path::of).orElse(null);
        int runs = CommandArgs.take(a, "--runs").map(v -> CommandArgs.positive("--runs", v)).orElse(3);
        int[] sizes = a.isEmpty() ? new int[] {10_000} : a.stream().mapToInt(v -> CommandArgs.positive("pods", v)).sorted().toArray();
        for (int size : sizes) {
            if (size % ClusterFixture.PODS_PER_WORKLOAD != 0) {
                throw new IllegalArgumentException("pods must be a multiple of " + ClusterFixture.PODS_PER_WORKLOAD + ", not " + size);
            }
        }
        List<Figure> out = new ArrayList<>();
        try (PagedApiServer api = new PagedApiServer(); KubernetesClient client = api.newClient()) {
            long t = System.nanoTime();
            ClusterFixture.base().forEach(api::store);
            ClusterAuditor auditor = new ClusterAuditor(PolicyEngine.builder().build());
            ClusterConnection cluster = ClusterConnection.of(client, "bench");
            System.out.printf(Locale.ROOT, "engine built and cluster base seeded in %d ms; pod JSON ~%d bytes%n",
                    (System.nanoTime() - t) / 1_000_000, new KubernetesSerialization().asJson(ClusterFixture.samplePod()).length());
            int workloads = 0;
            for (; workloads < Math.min(WARM_UP_PODS, sizes[0]) / ClusterFixture.PODS_PER_WORKLOAD; workloads++) {
                ClusterFixture.workload(workloads).forEach(api::store);
            }
            for (int i = 0; i < 3; i++) {
                auditor.audit(cluster, AuditScope.allNamespaces()); // warm-up: JIT, first unmarshal
            }
            System.out.println("pods   workloads objects findings  read ms  eval ms  total ms  peak heap MiB  after-GC max MiB");
            for (int size : sizes) {
                t = System.nanoTime();
                for (; workloads < size / ClusterFixture.PODS_PER_WORKLOAD; workloads++) {
                    ClusterFixture.workload(workloads).forEach(api::store);
                }
                long seedMs = (System.nanoTime() - t) / 1_000_000;
                double[] read = new double[runs];
                double[] eval = new double[runs];
                double[] total = new double[runs];
                double peak = 0;
                double afterGc = 0;
                AuditResult result = null;
                for (int run = 0; run < runs; run++) {
                    result = null;
                    try (HeapWatch heap = HeapWatch.start()) {
                        long t0 = System.nanoTime();
                        ClusterSnapshot snapshot = auditor.read(cluster, AuditScope.allNamespaces());
                        long t1 = System.nanoTime();
                        result = auditor.evaluate(snapshot);
                        long t2 = System.nanoTime();
                        peak = Math.max(peak, heap.peakMiB());
                        afterGc = Math.max(afterGc, heap.maxAfterGcMiB());
                        read[run] = (t1 - t0) / 1e9;
                        eval[run] = (t2 - t1) / 1e9;
                        total[run] = (t2 - t0) / 1e9;
                    }
                    Integer podsRead = result.objectsRead().get(ResourceKind.PODS);
                    if (result.partial() || podsRead == null || podsRead != size) {
                        throw new IllegalStateException("incomplete audit at " + size + " pods: " + result.faults());
                    }
                }
                Map<String, Long> byRule = new TreeMap<>();
                result.findings().forEach(f -> byRule.merge(f.rule(), 1L, Long::sum));
                System.out.printf(Locale.ROOT, "%6d %9d %7d %8d %8.0f %8.0f %9.0f %14.0f %17.0f   (seeded in %d ms; median of %d runs)%n",
                        size, workloads, result.objectCount(), result.findings().size(), median(read) * 1e3, median(eval) * 1e3,
                        median(total) * 1e3, peak, afterGc, seedMs, runs);
                System.out.println("findings by rule: " + byRule);
                String pods = String.format(Locale.ROOT, "%,d pods", size);
                out.add(new Figure(AREA, pods + ": audit (read and evaluate)", median(total), "s", String.format(Locale.ROOT,
                        "read %.1f s, evaluate %.1f s; median of %d", median(read), median(eval), runs)));
                out.add(new Figure(AREA, pods + ": peak heap", peak, "MiB", String.format(Locale.ROOT,
                        "-Xmx%dm; the mock API server in the same JVM; after GC at most %.0f MiB", Math.round(HeapWatch.maxHeapMiB()), afterGc)));
            }
            System.out.println("max heap " + Math.round(HeapWatch.maxHeapMiB()) + " MiB, " + Runtime.getRuntime().availableProcessors()
                    + " processors; peak heap: sum of the heap pools' peaks (an upper bound, garbage included)");
        }
        Figure.append(figures, out);
    }

    private static double median(double[] values) {
        return PodSecurityBenchmark.median(values);
    }
}
