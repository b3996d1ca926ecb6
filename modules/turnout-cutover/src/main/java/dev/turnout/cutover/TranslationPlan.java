package dev.turnout.cutover;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The result of translating a group's committed offsets from a source cluster to a target cluster, and the certificate
 * that anyone can re-check against the two clusters ({@code turnout offsets verify}). Written as JSON.
 *
 * <p>Each partition carries its status, the target offset (absent when UNRESOLVED), a reason, and evidence: the boundary
 * records on both sides (offsets and fingerprints) and the records found on one side only. Immutable.
 *
 * @param clearOnTarget partitions where the group has a committed offset on the target but none on the source; applying
 *                      the plan deletes those commits so the group behaves on the target as it did on the source
 */
public record TranslationPlan(String format, String id, String group, Instant createdAt, ClusterRef source,
                              ClusterRef target, String snapshotId, boolean sourceHasCommits, Summary summary,
                              List<PartitionPlan> partitions, List<TopicPartitionOffset> clearOnTarget) {

    /** The {@code format} of plans this version writes and reads. */
    public static final String FORMAT = "turnout.offsets.plan/1";

    public TranslationPlan {
        Objects.requireNonNull(group, "group");
        partitions = List.copyOf(partitions);
        clearOnTarget = clearOnTarget == null ? List.of() : List.copyOf(clearOnTarget);
    }

    /** Partitions that are not resolved. */
    public List<PartitionPlan> unresolved() {
        return partitions.stream().filter(p -> !p.status().isResolved()).toList();
    }

    /** A cluster as the plan names it. */
    public record ClusterRef(String name, String bootstrap, String clusterId) {
    }

    /** Counts over all partitions. */
    public record Summary(int partitions, int exact, int atStart, int atEnd, int unresolved, int onlySource,
                          int onlyTarget, int unconsumedMissingOnTarget) {

        public static Summary of(List<PartitionPlan> partitions) {
            int exact = 0;
            int atStart = 0;
            int atEnd = 0;
            int unresolved = 0;
            int onlySource = 0;
            int onlyTarget = 0;
            int missing = 0;
            for (PartitionPlan p : partitions) {
                switch (p.status()) {
                    case EXACT -> exact++;
                    case AT_START -> atStart++;
                    case AT_END -> atEnd++;
                    case UNRESOLVED -> unresolved++;
                    default -> throw new IllegalStateException(p.status().name());
                }
                onlySource += p.onlySource().size();
                onlyTarget += p.onlyTarget().size();
                missing += (int) p.onlySource().stream().filter(r -> !r.beforeCut()).count();
            }
            return new Summary(partitions.size(), exact, atStart, atEnd, unresolved, onlySource, onlyTarget, missing);
        }
    }

    /**
     * One partition's translation.
     *
     * @param sourceOffset the committed offset on the source (next record to read)
     * @param targetOffset the offset to commit on the target; null when UNRESOLVED
     * @param matchedBy    how the boundary counterparts were paired: turnout.id, turnout.src or fingerprint
     * @param onlySource   source records near the cut with no counterpart on the target; {@code beforeCut} = consumed
     * @param onlyTarget   target records near the cut with no counterpart on the source; {@code beforeCut} = skipped
     */
    public record PartitionPlan(String topic, int partition, long sourceOffset, Long targetOffset, PartitionStatus status,
                                String reason, String matchedBy, Evidence evidence, List<OneSidedRecord> onlySource,
                                List<OneSidedRecord> onlyTarget, List<String> notes) {

        public PartitionPlan {
            onlySource = onlySource == null ? List.of() : List.copyOf(onlySource);
            onlyTarget = onlyTarget == null ? List.of() : List.copyOf(onlyTarget);
            notes = notes == null ? List.of() : List.copyOf(notes);
        }

        public TopicPartitionOffset source() {
            return new TopicPartitionOffset(topic, partition, sourceOffset);
        }
    }

    /**
     * The certificate of one partition: log bounds when translated, the windows read, and the boundary pairs.
     *
     * @param lastConsumed    the last consumed source record that has a counterpart, and that counterpart
     * @param firstUnconsumed the first unconsumed source record that has a counterpart, and that counterpart
     */
    public record Evidence(LogBounds source, LogBounds target, Window window, Pair lastConsumed, Pair firstUnconsumed) {
    }

    /** Log start and last stable offset. */
    public record LogBounds(long logStart, long end) {
    }

    /** The offset ranges read on each side: [from, to). */
    public record Window(long sourceFrom, long sourceTo, long targetFrom, long targetTo) {
    }

    /** A source record and its target counterpart; either may be null. */
    public record Pair(RecordEvidence source, RecordEvidence target) {
    }

    /**
     * A record found on one side only.
     *
     * @param beforeCut for a source record: the group had consumed it; for a target record: the translated offset skips
     *                  it. A source record with {@code beforeCut=false} will not be delivered on the target.
     */
    public record OneSidedRecord(long offset, long timestamp, String fingerprint, String recordId, boolean beforeCut) {
    }
}
