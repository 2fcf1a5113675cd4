package io.kubeward.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Heap use of this JVM over a stretch of work: the peak (sum of the heap pools' peaks since
 * {@link #start}, an upper bound that counts garbage not yet collected) and the most heap still in
 * use right after a collection (what the work kept alive, the figure a smaller {@code -Xmx} would
 * have to hold).
 */
final class HeapWatch implements AutoCloseable {

    private static final double MIB = 1024 * 1024;

    private final AtomicLong maxAfterGc = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();
    private final List<Runnable> removals = new ArrayList<>();
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());

    private HeapWatch() {
        NotificationListener listener = (notification, handback) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long used = 0;
                for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (heapPools.contains(e.getKey())) {
                        used += e.getValue().getUsed();
                    }
                }
                maxAfterGc.accumulateAndGet(used, Math::max);
                collections.incrementAndGet();
            }
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                removals.add(() -> {
                    try {
                        emitter.removeNotificationListener(listener);
                    } catch (javax.management.ListenerNotFoundException e) {
                        // already gone
                    }
                });
            }
        }
    }

    /** Collects garbage, resets the pools' peaks and starts watching. */
    static HeapWatch start() {
        collect();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        return new HeapWatch();
    }

    /** MiB: the sum of the heap pools' peaks since the start. */
    double peakMiB() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum / MIB;
    }

    /** MiB: the most heap in use after any collection since the start (0 when none ran: see {@link #collections}). */
    double maxAfterGcMiB() {
        settle();
        return maxAfterGc.get() / MIB;
    }

    /** The collections since the start. */
    long collections() {
        settle();
        return collections.get();
    }

    private static void settle() {
        try {
            Thread.sleep(100); // the notifications arrive on a thread of their own, a little after the collection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        removals.forEach(Runnable::run);
    }

    /** MiB in use now, after collecting garbage. */
    static double liveMiB() {
        collect();
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) / MIB;
    }

    static double maxHeapMiB() {
        return Runtime.getRuntime().maxMemory() / MIB;
    }

    private static void collect() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
