package dev.turnout.core;

import dev.turnout.core.config.TableId;

/**
 * Every name Turnout derives from a pipeline's name: topics, the replication slot, the publication. One place, so that
 * capture, transform, apply, reconcile and the dashboards agree.
 */
public final class TopicNames {

    private TopicNames() {
    }

    /** The CDC topic of a source table: Debezium's {@code <topic.prefix>.<schema>.<table>}. */
    public static String cdc(String pipeline, TableId table) {
        return pipeline + "." + table.schema() + "." + table.table();
    }

    /** The compacted topic holding capture's source offsets, written in the same transaction as the changes. */
    public static String captureOffsets(String pipeline) {
        return "turnout." + pipeline + ".capture-offsets";
    }

    /** Debezium's transaction-metadata topic (BEGIN/END events). */
    public static String transactions(String pipeline) {
        return pipeline + ".transaction";
    }

    /** Debezium's heartbeat topic. */
    public static String heartbeats(String pipeline) {
        return "__debezium-heartbeat." + pipeline;
    }

    /** The compacted topic of a target table's rows to apply. */
    public static String apply(String pipeline, TableId target) {
        return applyTopicPrefix(pipeline) + target.schema() + "." + target.table();
    }

    /** What every apply topic of the pipeline starts with, to find them all ({@code turnout.<pipeline>.apply.}). */
    public static String applyTopicPrefix(String pipeline) {
        return "turnout." + pipeline + ".apply.";
    }

    /** The consumer group of the applier, which reads the apply topics; its lag is how far the target is behind. */
    public static String applyGroup(String pipeline) {
        return "turnout-" + pipeline + "-apply";
    }

    /**
     * The compacted topic of per-table reconciliation summaries (key = target table as {@code schema.table}, value
     * {@code schemas/ReconcileSummary.avsc}).
     */
    public static String reconcileSummary(String pipeline) {
        return "turnout." + pipeline + ".reconcile.summary";
    }

    /** Discrepancies found by shadow reads (old and new system answering one read differently). */
    public static String shadowDiffs(String pipeline) {
        return "turnout." + pipeline + ".shadow-diffs";
    }

    /**
     * The compacted topic of phased-rollout state (key = rollout name, value {@code schemas/RolloutState.avsc}). One per
     * cluster, not per pipeline: services route by it whatever pipeline moved their data.
     */
    public static String rolloutState() {
        return "turnout.rollout.state";
    }

    /** Services' call and error counts per rollout and route, read by the error-rate gate. */
    public static String rolloutSignals() {
        return "turnout.rollout.signals";
    }

    /**
     * The pipeline name under which the target database is captured for reconciliation: {@code <pipeline>_target}. It
     * names that capture's CDC topics ({@code <pipeline>_target.<schema>.<table>}), slot and publication
     * ({@code turnout_<pipeline>_target}), offsets topic and signal table, exactly as {@link #cdc}, {@link #slot},
     * {@link #publication}, {@link #captureOffsets} and {@link #signalTable} derive them from a pipeline name.
     */
    public static String targetCapture(String pipeline) {
        return pipeline + "_target";
    }

    /**
     * The compacted topic of per-key reconciliation status of one target table (key = the target key as
     * {@code ApplyKey}, value {@code schemas/ReconcileStatus.avsc}).
     */
    public static String reconcile(String pipeline, TableId target) {
        return "turnout." + pipeline + ".reconcile." + target.schema() + "." + target.table();
    }

    /** Poison records, with the reason in headers. */
    public static String deadLetters(String pipeline) {
        return "turnout." + pipeline + ".dlq";
    }

    /** The logical replication slot: PostgreSQL slot names allow lower-case letters, digits and underscores. */
    public static String slot(String pipeline) {
        return "turnout_" + pipeline;
    }

    /** The publication covering exactly the captured tables. */
    public static String publication(String pipeline) {
        return "turnout_" + pipeline;
    }

    /** The Debezium signal table used for on-demand incremental snapshots. */
    public static TableId signalTable(String pipeline) {
        return new TableId("public", "turnout_signal_" + pipeline);
    }
}
