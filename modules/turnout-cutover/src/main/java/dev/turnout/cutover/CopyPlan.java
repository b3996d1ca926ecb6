package dev.turnout.cutover;

import java.util.List;

/**
 * What {@code turnout topics copy} would copy: per partition, the source offsets from where the last copy ended (or the
 * log start) up to the source's end as it was when planned; the copy stops earlier at the first record that carries a
 * {@code turnout.id} (dual publishing began there, and those records reach the target through the publisher).
 */
public record CopyPlan(String from, String to, String sourceClusterId, List<PartitionCopy> partitions) {

    public CopyPlan {
        partitions = List.copyOf(partitions);
    }

    /**
     * One partition.
     *
     * @param from      first source offset to copy (resumes after the last copied record)
     * @param until     source offset to stop at (exclusive)
     * @param copied    source records already copied by earlier runs (their last offset + 1, or the log start)
     * @param note      why nothing is copied, when {@code from >= until}
     */
    public record PartitionCopy(String topic, int partition, long from, long until, long copied, String note) {
        public long remaining() {
            return Math.max(0, until - from);
        }
    }

    /** Upper bound of records to copy (offsets; aborted records and markers are skipped). */
    public long remaining() {
        return partitions.stream().mapToLong(PartitionCopy::remaining).sum();
    }
}
