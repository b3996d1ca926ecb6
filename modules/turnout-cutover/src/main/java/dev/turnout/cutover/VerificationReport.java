package dev.turnout.cutover;

import java.util.List;

/**
 * The result of re-checking a plan against the two clusters.
 *
 * @param full whether the unconsumed suffixes were compared record by record
 */
public record VerificationReport(String group, boolean full, List<PartitionCheck> partitions) {

    public VerificationReport {
        partitions = List.copyOf(partitions);
    }

    /** Whether every partition's evidence holds and, for a full check, nothing would be lost or delivered twice. */
    public boolean ok() {
        return partitions.stream().allMatch(PartitionCheck::ok);
    }

    public long lost() {
        return partitions.stream().mapToLong(p -> p.lost() == null ? 0 : p.lost()).sum();
    }

    public long redelivered() {
        return partitions.stream().mapToLong(p -> p.redelivered() == null ? 0 : p.redelivered()).sum();
    }

    /**
     * One partition.
     *
     * @param planned           the plan's target offset
     * @param rederived         the target offset found again from the clusters now
     * @param committedOnTarget the group's committed offset on the target now, or null
     * @param problems          why the evidence does not hold; empty when it does
     * @param lost              full check: unconsumed source records the target would not deliver after the offset
     * @param redelivered       full check: target records after the offset that the group had already consumed, or that
     *                          repeat an unconsumed one
     * @param onlyOnTarget      full check: target records after the offset that the source never had (new, not errors)
     * @param lostRecords       full check: the first lost records, for the operator to look at
     */
    public record PartitionCheck(String topic, int partition, PartitionStatus status, Long planned, Long rederived,
                                 Long committedOnTarget, List<String> problems, Long lost, Long redelivered,
                                 Long onlyOnTarget, List<RecordEvidence> lostRecords) {

        public PartitionCheck {
            problems = List.copyOf(problems);
            lostRecords = lostRecords == null ? List.of() : List.copyOf(lostRecords);
        }

        public boolean ok() {
            return problems.isEmpty() && (lost == null || lost == 0) && (redelivered == null || redelivered == 0);
        }
    }
}
