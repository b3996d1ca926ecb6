package dev.turnout.capture.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The compacted topic that holds capture's source offsets ({@code turnout.<pipeline>.capture-offsets}). Offsets are
 * written only inside the capture transactions that also write the changes, so reading it with
 * {@code read_committed} yields exactly the position of the last change that reached Kafka.
 */
public final class CaptureOffsetsTopic {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String topic;
    private final Map<String, Object> clientProperties;

    public CaptureOffsetsTopic(String topic, Map<String, Object> clientProperties) {
        this.topic = topic;
        this.clientProperties = Map.copyOf(clientProperties);
    }

    public String name() {
        return topic;
    }

    /** Creates the topic (one partition, compacted) unless it exists. */
    public void ensureExists() {
        try (Admin admin = Admin.create(clientProperties)) {
            NewTopic newTopic = new NewTopic(topic, 1, (short) -1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            TopicCreator.createIfAbsent(admin, newTopic, "the capture offsets topic " + topic + " (bootstrap "
                + clientProperties.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) + ")");
        }
    }

    /** Every committed offset, latest per key. */
    public Map<ByteBuffer, ByteBuffer> readCommitted() {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<ByteBuffer, ByteBuffer> offsets = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                 new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!caughtUp(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read the capture offsets topic " + topic + " to its end within "
                        + TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null) {
                        continue;
                    }
                    if (r.value() == null) {
                        offsets.remove(ByteBuffer.wrap(r.key()));
                    } else {
                        offsets.put(ByteBuffer.wrap(r.key()), ByteBuffer.wrap(r.value()));
                    }
                }
            }
        }
        return offsets;
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        Set<TopicPartition> partitions = end.keySet();
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }
}
