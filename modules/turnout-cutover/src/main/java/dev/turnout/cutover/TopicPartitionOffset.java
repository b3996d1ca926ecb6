package dev.turnout.cutover;

import java.util.Comparator;
import java.util.Objects;

import org.apache.kafka.common.TopicPartition;

/**
 * A position in a Kafka log: the offset of a record (or of the next record to read) in one topic partition. Ordered by
 * topic, partition, offset.
 */
public record TopicPartitionOffset(String topic, int partition, long offset) implements Comparable<TopicPartitionOffset> {

    private static final Comparator<TopicPartitionOffset> ORDER = Comparator.comparing(TopicPartitionOffset::topic)
        .thenComparingInt(TopicPartitionOffset::partition).thenComparingLong(TopicPartitionOffset::offset);

    public TopicPartitionOffset {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, got " + partition);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset + " for " + topic + "-" + partition);
        }
    }

    public static TopicPartitionOffset of(TopicPartition tp, long offset) {
        return new TopicPartitionOffset(tp.topic(), tp.partition(), offset);
    }

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    @Override
    public int compareTo(TopicPartitionOffset other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
