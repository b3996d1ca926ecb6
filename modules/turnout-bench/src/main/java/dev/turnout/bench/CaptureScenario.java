package dev.turnout.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.turnout.core.TopicNames;
import dev.turnout.core.config.TableId;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Capture alone against the slot's raw decode rate, on the same WAL: capture starts, captures a warm-up load and is
 * stopped inside its JVM, which keeps running (so the measured drain runs compiled code, as a long-running capture
 * does); two more pgoutput slots are created; rows are loaded in 1,000-row transactions while no slot is read. Then
 * the raw decoder drains one new slot ({@link RawDecode}), Debezium alone drains the other ({@link DebeziumAlone}), and
 * capture is started again in the same JVM and drains its own, into Kafka, exactly once. Capture's figure is rows over
 * the time from the first to the last record a read_committed consumer receives (so capture's start-up is not in it,
 * as pg_recvlogical's connection set-up is not in the other).
 */
final class CaptureScenario implements Scenario {

    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(10);
    private static final long WARM_UP_FIRST_ID = 30_000_000L;

    @Override
    public String name() {
        return "capture";
    }

    @Override
    public List<Figure> run(BenchEnvironment env) throws Exception {
        int rows = env.sizes().captureRows();
        String pipeline = "bench_capture";
        String database = "capture_src";
        String rawSlot = "bench_raw";
        String debeziumSlot = "bench_debezium";
        env.createSource(database);
        Path config = env.pipelineConfig(pipeline, database, "capture_unused_target");
        String topic = TopicNames.cdc(pipeline, TableId.parse(UsersTable.TABLE));
        try (PipelineChild pipelineJvm = env.startPipeline(config, "capture")) {
            // Warm-up: the same capture in the same JVM, so the measured drain is not spent compiling.
            try (Counter warmUp = new Counter(env, topic, env.sizes().warmUpRows(), false)) {
                CompletableFuture<Double> seen = CompletableFuture.supplyAsync(warmUp::rowsPerSecond);
                warmUp.awaitAssigned();
                new Workloads(env.source().jdbcUrl(database)).bulkLoad(WARM_UP_FIRST_ID, env.sizes().warmUpRows(),
                    1_000);
                seen.get(DRAIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            pipelineJvm.stopCapture();
            RawDecode.prepare(env.source(), database, rawSlot);
            RawDecode.prepare(env.source(), database, debeziumSlot);
            new Workloads(env.source().jdbcUrl(database)).bulkLoad(1, rows, 1_000);

            RawDecode.Result raw = RawDecode.run(env.source(), database, rawSlot);
            double decodeRate = rows / raw.seconds();
            DebeziumAlone.Drain debezium = pipelineJvm.debeziumAlone(debeziumSlot, topic, rows);
            double debeziumRate = debezium.rowsPerSecond();

            try (Counter counter = new Counter(env, topic, rows, true)) {
                CompletableFuture<Double> captured = CompletableFuture.supplyAsync(counter::rowsPerSecond);
                counter.awaitAssigned();
                pipelineJvm.startCapture();
                double rate = captured.get(DRAIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                pipelineJvm.stop();
                List<Figure> figures = new ArrayList<>();
                String load = rows + " rows in 1000-row transactions, drained from the slot";
                figures.add(Figure.of("capture", "turnout", rate, "rows/s", load
                    + " into Kafka (" + BenchEnvironment.PARTITIONS + " partitions), read_committed consumer; capture "
                    + "warmed by " + env.sizes().warmUpRows() + " rows in the same JVM"));
                figures.add(Figure.of("capture", "decode", decodeRate, "rows/s", raw.method()));
                figures.add(Figure.of("capture", "debezium", debeziumRate, "rows/s", "Debezium's connector alone in "
                    + "the same JVM, same settings, its records counted and dropped (no Avro, no Kafka): the ceiling"));
                figures.add(Figure.of("capture", "debezium.cpu", debezium.cpuMicrosPerRow(), "us/row",
                    "CPU time of the pipeline JVM per row while Debezium alone drained (all threads, GC and JIT)"));
                figures.add(Figure.atLeast("capture", "ratio", rate / decodeRate, "x", 0.7, "Turnout / raw decode"));
                figures.add(Figure.of("capture", "debezium.ratio", debeziumRate / decodeRate, "x",
                    "Debezium alone / raw decode"));
                figures.add(Figure.of("capture", "turnout.share", rate / debeziumRate, "x",
                    "Turnout / Debezium alone: what Avro, Kafka transactions and the consumer leave of the ceiling"));
                return figures;
            }
        } finally {
            env.source().dropReplicationSlots(TopicNames.slot(pipeline));
            env.source().dropReplicationSlots(rawSlot);
            env.source().dropReplicationSlots(debeziumSlot);
        }
    }

    /** A read_committed consumer of a CDC topic that times the arrival of its first and its n-th record. */
    private static final class Counter implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final int expected;
        private final CountDownLatch assigned = new CountDownLatch(1);
        private volatile boolean closed;

        /** Counts records from the start of the topic, or from its current end ({@code fromEnd}). */
        Counter(BenchEnvironment env, String topic, int expected, boolean fromEnd) {
            Map<String, Object> props = new HashMap<>(env.kafka().clientProperties());
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
            this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            if (fromEnd) {
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
            } else {
                consumer.seekToBeginning(partitions);
            }
            this.expected = expected;
        }

        void awaitAssigned() throws InterruptedException {
            if (!assigned.await(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("The counting consumer did not start polling");
            }
        }

        /**
         * Polls until {@code expected} records arrived; rows per second between the first and the last arrival (the
         * records of the first poll are not counted, as they arrived at the start of the interval).
         */
        double rowsPerSecond() {
            long count = 0;
            long first = 0;
            long firstBatch = 0;
            long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
            try {
                while (count < expected) {
                    if (closed || System.nanoTime() > deadline) {
                        throw new IllegalStateException("Capture delivered " + count + " of " + expected + " records");
                    }
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                    assigned.countDown();
                    if (!records.isEmpty() && count == 0) {
                        first = System.nanoTime();
                        firstBatch = records.count();
                    }
                    count += records.count();
                }
                long last = System.nanoTime();
                return (expected - firstBatch) / ((last - first) / 1e9);
            } finally {
                consumer.close();
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
