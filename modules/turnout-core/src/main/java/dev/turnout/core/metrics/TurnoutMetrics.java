package dev.turnout.core.metrics;

import static dev.turnout.core.metrics.MetricDefinition.Type.COUNTER;
import static dev.turnout.core.metrics.MetricDefinition.Type.GAUGE;
import static dev.turnout.core.metrics.MetricDefinition.Type.TIMER;

import java.util.List;
import java.util.Optional;

import dev.turnout.core.metrics.MetricDefinition.Type;

/**
 * Every metric Turnout publishes, declared once. Alert rules, dashboards and the README's metric list refer to these
 * names; tests check that the rules use only these and that running parts register them with the declared type and unit.
 * A part that adds a metric declares it here first.
 */
public final class TurnoutMetrics {

    /** All declared metrics, grouped by source, in documentation order. */
    public static final List<MetricDefinition> ALL = List.of(
        m("turnout.capture.events", COUNTER, null, List.of(), "capture", "Changes committed to Kafka."),
        m("turnout.capture.transactions", COUNTER, null, List.of(), "capture", "Kafka transactions committed by capture."),
        m("turnout.capture.redelivered", COUNTER, null, List.of(), "capture",
            "Change records the slot re-sent after a crash that Kafka already held; skipped, not written again."),
        m("turnout.capture.source.lag", GAUGE, "seconds", List.of(), "capture",
            "Now minus the source commit time of the last change written (grows while the source is idle)."),
        m("turnout.capture.slot.retained.wal", GAUGE, "bytes", List.of("slot"), "capture",
            "WAL the replication slot keeps PostgreSQL from removing."),
        m("turnout.capture.slot.active", GAUGE, null, List.of("slot"), "capture",
            "1 while a walsender holds the replication slot, else 0."),
        m("turnout.capture.snapshot.rows", GAUGE, null, List.of(), "capture", "Rows read by the snapshot."),
        m("turnout.capture.snapshot.rows.estimated", GAUGE, null, List.of(), "capture",
            "Rows the snapshot is expected to read (pg_class.reltuples)."),

        m("turnout.transform.records", COUNTER, null, List.of("table", "outcome"), "transform",
            "Source records transformed, by source table and outcome (applied, filtered, dlq)."),
        m("turnout.transform.dlq", COUNTER, null, List.of("table", "reason"), "transform",
            "Records sent to the dead-letter topic, by source table and reason (undecodable, expression, key)."),

        m("turnout.apply.rows", COUNTER, null, List.of("table", "op", "outcome"), "apply",
            "Target rows, by table, operation (upsert, delete) and outcome (written, skipped_older)."),
        m("turnout.apply.batch", TIMER, null, List.of("table"), "apply", "Time to write and commit one batch."),
        histogram("turnout.apply.visible.latency", List.of(), "apply",
            "Source commit to target commit (percentile histogram)."),
        m("turnout.apply.lag", GAUGE, null, List.of("table"), "apply",
            "Records behind the end of the apply topics, per target table."),
        m("turnout.apply.dlq", COUNTER, null, List.of("table"), "apply",
            "Records the applier sent to the dead-letter topic."),

        m("turnout.reconcile.keys", GAUGE, null, List.of("table", "status"), "reconcile",
            "Keys per reconciliation status (MATCH, PENDING, MISMATCH, MISSING, EXTRA)."),
        m("turnout.reconcile.oldest.unresolved", GAUGE, "seconds", List.of("table"), "reconcile",
            "Age of the oldest key that is neither MATCH nor PENDING."),

        m("turnout.registry.requests", TIMER, null, List.of("method", "outcome"), "registry",
            "Requests to the embedded schema registry, by HTTP method and outcome (success, client_error, server_error)."),
        m("turnout.registry.schemas", GAUGE, null, List.of(), "registry",
            "Schemas registered in the embedded schema registry (the highest schema id)."),

        m("turnout.part.up", GAUGE, null, List.of("part"), "every process",
            "1 while the part (capture, transform, apply, reconcile, dashboard) runs, else 0."),

        m("turnout.publisher.sent", COUNTER, null, List.of("publisher", "cluster"), "DualPublisher",
            "Records acknowledged by the cluster (primary, secondary)."),
        m("turnout.publisher.secondary.pending", GAUGE, null, List.of("publisher"), "DualPublisher",
            "Records the secondary has not acknowledged yet (the journal's backlog)."),
        m("turnout.publisher.secondary.failed", COUNTER, null, List.of("publisher"), "DualPublisher",
            "Attempts to send to the secondary that failed (records stay journaled)."),
        m("turnout.publisher.secondary.retried", COUNTER, null, List.of("publisher"), "DualPublisher",
            "Records sent to the secondary again after a failure."),
        m("turnout.publisher.journal.full", COUNTER, null, List.of("publisher"), "DualPublisher",
            "Records refused because the secondary journal was full (nothing was published)."),
        m("turnout.publisher.journal.capacity", GAUGE, null, List.of("publisher"), "DualPublisher",
            "Most records the journal holds before sends are refused."));

    private TurnoutMetrics() {
    }

    /** The declaration of a Micrometer name, if Turnout declares it. */
    public static Optional<MetricDefinition> byName(String name) {
        return ALL.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    private static MetricDefinition m(String name, Type type, String baseUnit, List<String> tags, String source,
                                      String description) {
        return new MetricDefinition(name, type, Optional.ofNullable(baseUnit), false, tags, source, description);
    }

    private static MetricDefinition histogram(String name, List<String> tags, String source, String description) {
        return new MetricDefinition(name, TIMER, Optional.empty(), true, tags, source, description);
    }
}
