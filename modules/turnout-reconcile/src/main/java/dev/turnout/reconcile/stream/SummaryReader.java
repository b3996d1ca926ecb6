package dev.turnout.reconcile.stream;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.core.avro.AvroDeserializer;
import dev.turnout.schemas.reconcile.ReconcileSummary;

/**
 * Follows the summary topic (read_committed, every partition from the beginning, no consumer group) and keeps the
 * latest summary of each table, for metrics and status lines. Every instance sees the whole truth, whichever instance
 * runs the summary task. One daemon thread; {@link #close()} stops it.
 */
public final class SummaryReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SummaryReader.class);

    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final AvroDeserializer values;
    private final Map<String, ReconcileSummary> latest = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private boolean started;

    SummaryReader(String topic, Map<String, Object> client, AvroDeserializer values, String pipeline) {
        this.topic = topic;
        this.values = values;
        Map<String, Object> props = new HashMap<>(client);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "turnout-" + pipeline + "-reconcile-summary-reader");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "turnout-reconcile-summary-" + pipeline);
        thread.setDaemon(true);
    }

    synchronized void start() {
        started = true;
        thread.start();
    }

    /** The latest summary of a table, if one was read. */
    public Optional<ReconcileSummary> latest(String table) {
        return Optional.ofNullable(latest.get(table));
    }

    /** The latest summary of every table read so far. */
    public Map<String, ReconcileSummary> all() {
        return Map.copyOf(latest);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() == null) {
                        continue;
                    }
                    if (r.value() == null) {
                        latest.remove(r.key());
                        continue;
                    }
                    try {
                        latest.put(r.key(), (ReconcileSummary) values.deserialize(topic, r.value()));
                    } catch (RuntimeException e) {
                        log.warn("Skipped an unreadable summary at {}-{}@{}: {}", topic, r.partition(), r.offset(),
                            e.getMessage());
                    }
                }
            }
        } catch (WakeupException stopping) {
            // close() woke the consumer.
        } catch (RuntimeException e) {
            log.warn("Stopped following {}: {}", topic, e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public synchronized void close() {
        if (!started) {
            consumer.close(Duration.ofSeconds(5));
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
