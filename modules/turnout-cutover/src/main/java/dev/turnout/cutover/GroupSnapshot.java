package dev.turnout.cutover;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;

/**
 * A consumer group's committed offsets on one cluster at one moment, with the evidence translation needs. Written to
 * {@code turnout.offsets.snapshots} (Avro, {@code schemas/OffsetSnapshot.avsc}) and to files (JSON). Immutable.
 *
 * @param id          {@code <group>@<ISO-8601 instant>}
 * @param clusterName the cluster's name in {@code turnout.yaml}, or its bootstrap string
 * @param hasCommits  false when the group had no committed offset at all (then {@code partitions} is empty)
 */
public record GroupSnapshot(String id, String group, String clusterId, String clusterName, String bootstrap,
                            Instant takenAt, String groupState, boolean hasCommits, List<PartitionSnapshot> partitions) {

    public GroupSnapshot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(clusterId, "clusterId");
        partitions = List.copyOf(partitions).stream()
            .sorted(Comparator.comparing(PartitionSnapshot::topic).thenComparingInt(PartitionSnapshot::partition))
            .toList();
    }

    /**
     * One partition's committed offset and surroundings.
     *
     * @param logEndOffset the last stable offset (read_committed end)
     * @param lastConsumed the last committed record below the committed offset, or null when there is none
     */
    public record PartitionSnapshot(String topic, int partition, long committedOffset, long logStartOffset,
                                    long logEndOffset, RecordEvidence lastConsumed) {

        public TopicPartition topicPartition() {
            return new TopicPartition(topic, partition);
        }

        /** How many committed records the group had still to read. */
        public long lag() {
            return Math.max(0, logEndOffset - committedOffset);
        }
    }

    /** Committed offsets by partition. */
    public Map<TopicPartition, Long> committedOffsets() {
        return partitions.stream().collect(Collectors.toMap(PartitionSnapshot::topicPartition,
            PartitionSnapshot::committedOffset));
    }

    /** Partitions by topic partition. */
    public Map<TopicPartition, PartitionSnapshot> byPartition() {
        return partitions.stream().collect(Collectors.toMap(PartitionSnapshot::topicPartition, Function.identity()));
    }
}
