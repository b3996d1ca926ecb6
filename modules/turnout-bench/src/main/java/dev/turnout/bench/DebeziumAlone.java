package dev.turnout.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.turnout.capture.CaptureSettings;
import dev.turnout.capture.ConnectorProperties;
import com.sun.management.OperatingSystemMXBean;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.embedded.Connect;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The ceiling capture's figure is compared with: Debezium's PostgreSQL connector with Turnout's connector settings, in
 * the pipeline JVM, draining a slot of its own whose records are counted and dropped (no Avro, no Kafka). Capture cannot
 * be faster than this, so the gap between the two is Turnout's own cost, and the gap between this and the raw decode is
 * Debezium's.
 *
 * <p>The slot and its publication exist before the data is written ({@link RawDecode#prepare}); offsets live in memory.
 */
final class DebeziumAlone {

    private static final OperatingSystemMXBean PROCESS =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /**
     * @param rowsPerSecond rows from the first batch to the last record
     * @param cpuMicrosPerRow CPU time of the whole pipeline JVM over the same interval (Debezium's threads, garbage
     *                        collection and compilation), per row
     */
    record Drain(double rowsPerSecond, double cpuMicrosPerRow) {
    }

    private DebeziumAlone() {
    }

    /**
     * Drains {@code slot} until {@code rows} records of {@code topic} arrived, timed from the first batch to the last
     * record (the first batch's records are not counted, as in the capture figure).
     */
    static Drain drain(CaptureSettings settings, String slot, String topic, int rows, Duration timeout)
        throws IOException, InterruptedException {
        Map<String, String> props = ConnectorProperties.embedded(settings);
        props.put("name", "bench-debezium-alone");
        props.put("slot.name", slot);
        props.put("publication.name", slot);
        props.put("publication.autocreate.mode", "disabled");
        props.put("snapshot.mode", "no_data");
        props.put("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        CountingConsumer consumer = new CountingConsumer(topic, rows);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "bench-debezium-alone"));
        try (DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine.create(ChangeEventFormat.of(
                Connect.class))
            .using(toProperties(props))
            .using((success, message, error) -> {
                if (!success) {
                    failure.set(error != null ? error : new IllegalStateException(message));
                    consumer.done.countDown();
                }
            })
            .notifying(consumer)
            .build()) {
            thread.execute(engine);
            if (!consumer.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Debezium alone delivered " + consumer.count + " of " + rows
                    + " records within " + timeout);
            }
            if (failure.get() != null) {
                throw new IllegalStateException("Debezium alone stopped: " + failure.get().getMessage(), failure.get());
            }
            return consumer.result();
        } finally {
            thread.shutdown();
            thread.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private static Properties toProperties(Map<String, String> map) {
        Properties p = new Properties();
        p.putAll(map);
        return p;
    }

    /** Counts a topic's records and drops every record; called by one engine thread at a time. */
    private static final class CountingConsumer
        implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {
        private final String topic;
        private final int expected;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile long count;
        private long first;
        private long firstBatch = -1;
        private long last;
        private long firstCpu;
        private long lastCpu;

        CountingConsumer(String topic, int expected) {
            this.topic = topic;
            this.expected = expected;
        }

        @Override
        public void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
                                DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
            long seen = 0;
            for (RecordChangeEvent<SourceRecord> event : records) {
                if (topic.equals(event.record().topic())) {
                    seen++;
                }
                committer.markProcessed(event);
            }
            committer.markBatchFinished();
            if (seen == 0) {
                return;
            }
            if (firstBatch < 0) {
                first = System.nanoTime();
                firstCpu = PROCESS.getProcessCpuTime();
                firstBatch = seen;
            }
            count += seen;
            if (count >= expected && last == 0) {
                last = System.nanoTime();
                lastCpu = PROCESS.getProcessCpuTime();
                done.countDown();
            }
        }

        Drain result() {
            long rows = expected - firstBatch;
            return new Drain(rows / ((last - first) / 1e9), (lastCpu - firstCpu) / 1e3 / rows);
        }
    }
}
