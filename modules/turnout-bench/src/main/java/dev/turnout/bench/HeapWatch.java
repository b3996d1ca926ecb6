package dev.turnout.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * The peak heap of this JVM, from garbage-collection notifications: the heap in use just before each collection (the
 * peak between collections) and just after it (what was live). Also samples the heap in use when asked, for the time
 * since the last collection. Thread-safe; listeners run on the JVM's notification thread.
 */
final class HeapWatch {

    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    private final AtomicLong peakUsed = new AtomicLong();
    private final AtomicLong peakLive = new AtomicLong();

    /** Heap figures in bytes: peak in use, largest live heap after a collection, and the maximum heap (-Xmx). */
    record Peak(long used, long liveAfterGc, long max) {
    }

    static HeapWatch start() {
        HeapWatch watch = new HeapWatch();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((n, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                        watch.collected(GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()));
                    }
                }, null, null);
            }
        }
        return watch;
    }

    private void collected(GarbageCollectionNotificationInfo info) {
        peakUsed.accumulateAndGet(heap(info.getGcInfo().getMemoryUsageBeforeGc()), Math::max);
        peakLive.accumulateAndGet(heap(info.getGcInfo().getMemoryUsageAfterGc()), Math::max);
    }

    private long heap(Map<String, MemoryUsage> pools) {
        return pools.entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
            .mapToLong(e -> e.getValue().getUsed()).sum();
    }

    Peak peak() {
        long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Peak(Math.max(peakUsed.get(), now), peakLive.get(), Runtime.getRuntime().maxMemory());
    }
}
