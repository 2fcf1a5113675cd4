package io.kubeward.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The machine a suite ran on, as the figures need it said: processors, memory, Java, system, and
 * the load average (one minute) at the start, at the end and the highest seen in between (sampled
 * every five seconds), since other work on a shared machine slows the wall-clock figures.
 */
final class MachineInfo implements AutoCloseable {

    private final int cores = Runtime.getRuntime().availableProcessors();
    private final String cpu = cpuModel();
    private final double memoryGiB = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize() / (1024.0 * 1024 * 1024);
    private final String java = "Java " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name") + ")";
    private final String system = System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
    private final double loadAtStart = load();
    private final AtomicLong highestLoad = new AtomicLong(Double.doubleToLongBits(loadAtStart));
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "load-average-sampler");
        t.setDaemon(true);
        return t;
    });
    private double loadAtEnd = Double.NaN;

    MachineInfo() {
        sampler.scheduleAtFixedRate(this::sample, 5, 5, TimeUnit.SECONDS);
    }

    private void sample() {
        double now = load();
        highestLoad.accumulateAndGet(Double.doubleToLongBits(now),
                (a, b) -> Double.longBitsToDouble(a) >= Double.longBitsToDouble(b) ? a : b);
    }

    /** Stops sampling and records the load at the end. */
    @Override
    public void close() {
        sampler.shutdownNow();
        loadAtEnd = load();
        sample();
    }

    /** One sentence: the machine and its load. */
    String describe() {
        double highest = Double.longBitsToDouble(highestLoad.get());
        return String.format(Locale.ROOT, "%d cores%s, %.1f GiB of memory, %s, %s; load average %.1f at the start, %.1f at the end,"
                        + " %.1f at most", cores, cpu.isEmpty() ? "" : " (" + cpu + ")", memoryGiB, java, system, loadAtStart,
                Double.isNaN(loadAtEnd) ? load() : loadAtEnd, highest);
    }

    int cores() {
        return cores;
    }

    static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            return lines.stream().filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("");
        } catch (IOException | RuntimeException e) {
            return ""; // not Linux: the processor count alone
        }
    }
}
