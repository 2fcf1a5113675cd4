package io.kubeward.benchmarks;

import io.kubeward.admission.benchmark.AdmissionBenchmark;

/**
 * Runs {@link AdmissionBenchmark} in the suite's client JVM and ends that JVM when it returns: its
 * HTTP client's worker threads would otherwise keep the JVM alive after the figures are out.
 */
public final class AdmissionRun {

    private AdmissionRun() {
    }

    public static void main(String[] args) throws Exception {
        AdmissionBenchmark.main(args);
        System.exit(0);
    }
}
