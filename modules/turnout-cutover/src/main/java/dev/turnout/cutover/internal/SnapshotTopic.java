package dev.turnout.cutover.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

import dev.turnout.cutover.CutoverException;
import dev.turnout.cutover.CutoverException.Kind;
import dev.turnout.cutover.TurnoutHeaders;

/**
 * The compacted topic {@code turnout.offsets.snapshots} on one cluster: created on first write (one partition,
 * {@code cleanup.policy=compact}, the broker's default replication), keyed {@code snapshot/<id>} and
 * {@code certificate/<id>}. Writes wait for the broker's acknowledgement; reads scan the topic from its start (it holds
 * one record per snapshot, compacted, so it stays small). Not thread-safe.
 */
public final class SnapshotTopic {

    public static final String SNAPSHOT_PREFIX = "snapshot/";
    public static final String CERTIFICATE_PREFIX = "certificate/";
    private static final TopicPartition PARTITION = new TopicPartition(TurnoutHeaders.SNAPSHOTS_TOPIC, 0);

    private final ClusterSession session;

    public SnapshotTopic(ClusterSession session) {
        this.session = session;
    }

    public void write(String key, byte[] value) {
        ensureTopic();
        try (KafkaProducer<byte[], byte[]> producer = session.access().producer("turnout-snapshots",
                Map.of(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE,
                        session.access().timeout().toMillis() + 35_000),
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, session.access().timeout().toMillis()))) {
            producer.send(new ProducerRecord<>(TurnoutHeaders.SNAPSHOTS_TOPIC, 0,
                    key.getBytes(StandardCharsets.UTF_8), value))
                .get(session.access().timeout().toMillis() + 30_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CutoverException(Kind.FAILED, "Interrupted while writing " + key + " on " + session.access().cluster(), e);
        } catch (ExecutionException e) {
            throw session.access().failure("write " + key + " to " + TurnoutHeaders.SNAPSHOTS_TOPIC, e.getCause());
        } catch (TimeoutException e) {
            throw session.access().failure("write " + key + " to " + TurnoutHeaders.SNAPSHOTS_TOPIC, e);
        }
    }

    /** The latest value of every key, in first-written order. */
    public Map<String, byte[]> readAll() {
        Map<String, byte[]> values = new LinkedHashMap<>();
        String topic = TurnoutHeaders.SNAPSHOTS_TOPIC;
        if (!session.access().partitionCounts(List.of(topic)).containsKey(topic)) {
            return values;
        }
        long start = session.access().earliest(List.of(PARTITION)).get(PARTITION);
        long end = session.access().lastStable(List.of(PARTITION)).get(PARTITION);
        var window = session.reader().read(Map.of(PARTITION, PartitionReader.Spec.<Map.Entry<String, byte[]>>range(start, end)),
            r -> Map.entry(r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8),
                r.value() == null ? new byte[0] : r.value()));
        for (Map.Entry<String, byte[]> e : window.get(PARTITION).records()) {
            if (e.getValue().length == 0) {
                values.remove(e.getKey());
            } else {
                values.put(e.getKey(), e.getValue());
            }
        }
        return values;
    }

    public Optional<byte[]> find(String key) {
        return Optional.ofNullable(readAll().get(key));
    }

    private void ensureTopic() {
        KafkaAccess access = session.access();
        if (access.partitionCounts(List.of(TurnoutHeaders.SNAPSHOTS_TOPIC)).containsKey(TurnoutHeaders.SNAPSHOTS_TOPIC)) {
            return;
        }
        NewTopic topic = new NewTopic(TurnoutHeaders.SNAPSHOTS_TOPIC, Optional.of(1), Optional.empty())
            .configs(Map.of("cleanup.policy", "compact"));
        try {
            access.admin().createTopics(List.of(topic)).all().get(access.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw access.failure("create topic " + TurnoutHeaders.SNAPSHOTS_TOPIC, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CutoverException(Kind.FAILED, "Interrupted while creating " + TurnoutHeaders.SNAPSHOTS_TOPIC, e);
        } catch (TimeoutException e) {
            throw access.failure("create topic " + TurnoutHeaders.SNAPSHOTS_TOPIC, e);
        }
    }
}
