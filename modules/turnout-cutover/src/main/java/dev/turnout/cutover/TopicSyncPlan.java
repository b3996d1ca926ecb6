package dev.turnout.cutover;

import java.util.List;
import java.util.Map;

/**
 * What {@code turnout topics sync} found and would do: per source topic, whether it is created on the target, already
 * alike, or different. Immutable.
 */
public record TopicSyncPlan(String from, String to, List<TopicAction> topics) {

    public TopicSyncPlan {
        topics = List.copyOf(topics);
    }

    /** What happens to one topic. */
    public enum Action {
        /** Missing on the target: created with the source's partition count and configs. */
        CREATE,
        /** Present on the target with the same partition count and configs. */
        IN_SYNC,
        /** Present with the same partition count, but configs differ (reported, not changed). */
        CONFIG_DIFFERS,
        /** Present with a different partition count: an error, offsets could not be translated partition by partition. */
        PARTITION_MISMATCH
    }

    /**
     * One topic.
     *
     * @param targetPartitions the partition count on the target, or null when the topic is missing there
     * @param configs          the configs the target topic is (or would be) created with
     */
    public record TopicAction(String topic, int partitions, Integer targetPartitions, Action action,
                              Map<String, String> configs, List<ConfigDifference> differences) {
        public TopicAction {
            configs = Map.copyOf(configs);
            differences = List.copyOf(differences);
        }
    }

    /** A config whose effective value differs; null means unset on that side. */
    public record ConfigDifference(String key, String source, String target) {
    }

    /** Whether a topic has a different partition count on the target. */
    public boolean hasPartitionMismatch() {
        return topics.stream().anyMatch(t -> t.action() == Action.PARTITION_MISMATCH);
    }

    /** Whether anything differs that sync does not fix (config differences, partition mismatches). */
    public boolean hasDifferences() {
        return topics.stream().anyMatch(t -> t.action() == Action.CONFIG_DIFFERS || t.action() == Action.PARTITION_MISMATCH);
    }
}
