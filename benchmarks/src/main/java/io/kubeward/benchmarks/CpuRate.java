package io.kubeward.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Pods per second of the benchmark JVM's CPU time, per JMH measurement iteration: what one
 * evaluating thread does with a core of its own, garbage collection included, however busy the
 * rest of the machine is (JMH's own score is by the wall clock, which a shared machine's other load
 * inflates). The median over the measurement iterations goes to the figures file named by the
 * system property {@value #FIGURES_PROPERTY}, when set.
 */
final class CpuRate {

    static final String FIGURES_PROPERTY = "kubeward.figures";

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final List<Double> rates = new ArrayList<>();
    private boolean measuring;
    private long cpuStart;

    /** At the start of an iteration; only measurement iterations count. */
    void start(boolean measurement) {
        measuring = measurement;
        cpuStart = os.getProcessCpuTime();
    }

    /** At the end of an iteration that evaluated {@code pods} pods. */
    void stop(long pods) {
        long cpu = os.getProcessCpuTime() - cpuStart;
        if (measuring && cpu > 0) {
            rates.add(pods / (cpu / 1e9));
        }
    }

    /** Writes the median rate as a figure, at the end of the trial. */
    void report(String area, String measure) {
        String file = System.getProperty(FIGURES_PROPERTY);
        if (file == null || rates.isEmpty()) {
            return;
        }
        double[] values = rates.stream().mapToDouble(Double::doubleValue).toArray();
        Figure.append(Path.of(file), List.of(new Figure(area, measure, PodSecurityBenchmark.median(values), "pods/s")));
    }
}
