package dev.turnout.app.dashboard;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.core.TopicNames;
import dev.turnout.core.avro.AvroDeserializer;
import dev.turnout.core.avro.AvroSerdeConfig;
import dev.turnout.core.avro.WireFormat;
import dev.turnout.schemas.reconcile.ReconcileStatus;
import dev.turnout.schemas.reconcile.ReconcileSummary;

/**
 * Reads a pipeline's reconcile topics into a {@link ReconcileView}: the summary topic and every per-table status topic
 * ({@code turnout.<pipeline>.reconcile.<schema>.<table>}, found by prefix and looked for again every
 * {@link #DISCOVERY}), each from the beginning, read_committed, without a consumer group (nothing is committed, so
 * every dashboard process rebuilds the whole view and several may run).
 *
 * <p>Threads: one daemon thread owns the consumer; {@link #close()} wakes it and waits for it. An unreachable broker is
 * retried for as long as the reader runs (the view's reader state says so); a record that cannot be decoded is counted,
 * logged once per topic with its position, and skipped (the key keeps its previous status).
 */
final class ReconcileTopicsReader implements AutoCloseable {

    static final Duration DISCOVERY = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Logger log = LoggerFactory.getLogger(ReconcileTopicsReader.class);

    private final String bootstrap;
    private final String summaryTopic;
    private final String statusPrefix;
    private final ReconcileView view;
    private final Map<String, Object> consumerConfig;
    private final AvroDeserializer values;
    private final Set<String> warnedTopics = new HashSet<>();
    private final Clock clock = Clock.systemUTC();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private long unreadable;

    /**
     * @param kafka       bootstrap servers and any client properties (security, ...)
     * @param registryUrl the schema registry the reconcile topics' schemas are in
     */
    ReconcileTopicsReader(String pipeline, String bootstrap, Map<String, String> kafka, String registryUrl,
                          ReconcileView view) {
        this.bootstrap = bootstrap;
        this.summaryTopic = TopicNames.reconcileSummary(pipeline);
        this.statusPrefix = summaryTopic.substring(0, summaryTopic.length() - "summary".length());
        this.view = view;
        Map<String, Object> c = new HashMap<>(kafka);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "turnout-" + pipeline + "-dashboard");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumerConfig = Map.copyOf(c);
        this.values = new AvroDeserializer();
        this.values.configure(Map.of(AvroSerdeConfig.URL, registryUrl, AvroSerdeConfig.SPECIFIC_AVRO_READER, true,
            AvroSerdeConfig.SPECIFIC_AVRO_TRUSTED_PACKAGES, "dev.turnout.schemas.reconcile"), false);
        this.thread = new Thread(this::run, "turnout-dashboard-reader");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerConfig)) {
            consumer = c;
            Map<TopicPartition, Long> loadEnds = null;
            long nextDiscovery = 0;
            while (running) {
                if (clock.millis() >= nextDiscovery) {
                    Map<TopicPartition, Long> ends = discover(c);
                    nextDiscovery = clock.millis() + DISCOVERY.toMillis();
                    if (ends == null) {
                        continue;
                    }
                    if (loadEnds == null) {
                        loadEnds = ends;
                    }
                }
                if (loadEnds == null) {
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
                    apply(r);
                }
                if (!loadEnds.isEmpty() && caughtUp(c, loadEnds)) {
                    loadEnds = Map.of();
                }
                String state = loadEnds.isEmpty() ? "live" : "loading";
                view.reader(new ReconcileView.ReaderState(state, null, unreadable));
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("Dashboard reader of {} stopped: {}", bootstrap, e.getMessage(), e);
            view.reader(new ReconcileView.ReaderState("failed", e.getMessage(), unreadable));
        } finally {
            values.close();
        }
    }

    /**
     * Assigns every reconcile topic's partitions, new ones from the beginning; returns their end offsets then, or null
     * when Kafka cannot be reached (the view says so, and the next discovery retries).
     */
    private Map<TopicPartition, Long> discover(KafkaConsumer<byte[], byte[]> c) {
        Map<String, List<PartitionInfo>> topics;
        try {
            topics = c.listTopics(Duration.ofSeconds(10));
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            String detail = "Kafka at " + bootstrap + " did not answer: " + e.getMessage();
            if (!"unreachable".equals(view.reader().state())) {
                log.warn("Dashboard cannot list the reconcile topics: {}; retrying every {} s", detail,
                    DISCOVERY.toSeconds());
            }
            view.reader(new ReconcileView.ReaderState("unreachable", detail, unreadable));
            return null;
        }
        List<TopicPartition> wanted = new ArrayList<>();
        topics.forEach((topic, partitions) -> {
            if (topic.equals(summaryTopic) || topic.startsWith(statusPrefix)) {
                partitions.forEach(p -> wanted.add(new TopicPartition(topic, p.partition())));
            }
        });
        Set<TopicPartition> added = new HashSet<>(wanted);
        added.removeAll(c.assignment());
        if (!added.isEmpty()) {
            c.assign(wanted);
            c.seekToBeginning(added);
            log.info("Dashboard reads {} new partition(s) of the reconcile topics", added.size());
        }
        return c.endOffsets(wanted, Duration.ofSeconds(10));
    }

    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        String topic = r.topic();
        if (r.key() == null) {
            unreadable(r, "record without a key");
            return;
        }
        try {
            if (topic.equals(summaryTopic)) {
                String table = new String(r.key(), StandardCharsets.UTF_8);
                if (r.value() == null) {
                    view.removeSummary(table);
                } else {
                    view.putSummary(table, (ReconcileSummary) values.deserialize(topic, r.value()));
                }
                return;
            }
            String table = topic.substring(statusPrefix.length());
            ByteBuffer key = ByteBuffer.wrap(keyBody(topic, r.key()));
            if (r.value() == null) {
                view.removeKey(table, key);
            } else {
                view.putKey(table, key, KeyEntry.of(table, (ReconcileStatus) values.deserialize(topic, r.value())));
            }
        } catch (RuntimeException e) {
            unreadable(r, e.getMessage());
        }
    }

    private static byte[] keyBody(String topic, byte[] key) {
        ByteBuffer body = WireFormat.read(key, topic).body();
        byte[] out = new byte[body.remaining()];
        body.get(out);
        return out;
    }

    private void unreadable(ConsumerRecord<byte[], byte[]> r, String reason) {
        unreadable++;
        if (warnedTopics.add(r.topic())) {
            log.warn("Dashboard skips a record it cannot read at {}-{} offset {}: {} (logged once per topic)",
                r.topic(), r.partition(), r.offset(), reason);
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
