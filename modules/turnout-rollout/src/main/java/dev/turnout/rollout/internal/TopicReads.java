package dev.turnout.rollout.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Bounded reads of whole topics: a compacted topic's latest value per key, or every record since a time. Each read
 * stops at the end offsets (last stable offsets, read committed) taken when it started, and fails as unreachable when
 * it cannot get there within the session's request timeout. Stateless; each call uses its own consumer.
 */
public final class TopicReads {

    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaSession session;

    public TopicReads(KafkaSession session) {
        this.session = session;
    }

    /** The latest value of every key of a compacted topic, in order of the keys' last writes; tombstones remove keys. */
    public Map<String, byte[]> latestByKey(String topic) {
        Map<String, byte[]> latest = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : read(topic, null)) {
            latest.remove(r.key());
            if (r.value() != null) {
                latest.put(r.key(), r.value());
            }
        }
        return latest;
    }

    /** Every record of {@code topic} with a timestamp at or after {@code from} (by the broker's time index). */
    public List<ConsumerRecord<String, byte[]>> since(String topic, Instant from) {
        return read(topic, from);
    }

    private List<ConsumerRecord<String, byte[]>> read(String topic, Instant from) {
        String what = "read topic " + topic;
        try (KafkaConsumer<String, byte[]> consumer = session.consumer("read")) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, session.settings().requestTimeout());
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            if (partitions.isEmpty()) {
                return out;
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, session.settings().requestTimeout());
            if (from == null) {
                consumer.seekToBeginning(partitions);
            } else {
                Map<TopicPartition, Long> query = new HashMap<>();
                partitions.forEach(tp -> query.put(tp, from.toEpochMilli()));
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query,
                    session.settings().requestTimeout());
                for (TopicPartition tp : partitions) {
                    OffsetAndTimestamp at = found.get(tp);
                    consumer.seek(tp, at == null ? end.get(tp) : at.offset());
                }
            }
            long deadline = System.nanoTime() + session.settings().requestTimeout().toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw session.failure(what, new org.apache.kafka.common.errors.TimeoutException(
                        "did not reach the end of " + topic));
                }
                consumer.poll(POLL).forEach(out::add);
            }
            return out;
        } catch (org.apache.kafka.common.KafkaException e) {
            throw session.failure(what, e);
        }
    }

    private boolean reachedEnd(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), session.settings().requestTimeout()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
