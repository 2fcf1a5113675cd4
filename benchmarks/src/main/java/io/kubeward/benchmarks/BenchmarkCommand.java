package io.kubeward.benchmarks;

import java.util.Arrays;
import java.util.List;

/**
 * The shaded jar's entry point: the suite, or one benchmark by name.
 *
 * <pre>
 * java -jar benchmarks/target/kubeward-benchmarks-*-all.jar suite [--quick] [--update-readme README.md] [--root DIR] [--only TEXT]
 * java -jar ... pod-security | network | cluster-audit | snapshot [options]
 * java -jar ... jmh [JMH options]
 * </pre>
 */
public final class BenchmarkCommand {

    private static final String USAGE = """
            usage: java -jar kubeward-benchmarks-*-all.jar COMMAND [options]
              suite [--quick] [--update-readme README.md] [--root DIR] [--only TEXT]
                                 every benchmark, then the figures table (bin/benchmarks runs this)
              pod-security [--pods N] [--warmup N] [--rounds N] [--threads N] [--mode TEXT]
                                 restricted rules against plain Java, by CPU time, several batch sizes
              network [--open] [--runs N] [pods...]      network reachability at each size
              cluster-audit [--runs N] [pods...]         audit of the mock API server
              snapshot [pods]                            engine heap evaluating a cluster snapshot
              jmh [JMH options]                          the JMH benchmarks (RulePackThroughput, PlainJavaThroughput)""";

    private BenchmarkCommand() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || List.of("-h", "--help", "help").contains(args[0])) {
            System.out.println(USAGE);
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "suite" -> BenchmarkSuite.main(rest);
                case "pod-security" -> PodSecurityBenchmark.main(rest);
                case "network" -> NetworkBenchmark.main(rest);
                case "cluster-audit" -> ClusterAuditBenchmark.main(rest);
                case "snapshot" -> SnapshotHeapBenchmark.main(rest);
                case "jmh" -> org.openjdk.jmh.Main.main(rest);
                default -> {
                    System.err.println("unknown command '" + args[0] + "'\n" + USAGE);
                    System.exit(2);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("kubeward benchmarks: " + e.getMessage());
            System.exit(2);
        }
    }
}
