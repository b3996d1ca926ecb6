package dev.turnout.reconcile.stream;

import dev.turnout.reconcile.compare.TargetTable;
import dev.turnout.schemas.apply.ApplyKey;
import dev.turnout.schemas.reconcile.ReconcileObservation;
import dev.turnout.schemas.reconcile.ReconcileStatus;
import dev.turnout.schemas.reconcile.ReconcileSummaryPart;

/** What the topology's processors forward, routed to sinks by kind. */
sealed interface Output {

    /** One side's view of a key, on its way to the key's task. */
    record Observed(ReconcileObservation observation) implements Output {
    }

    /** A record that cannot be read, for the dead-letter topic; the reason is in the record's headers. */
    record DeadLetter(byte[] key, byte[] value) implements Output {
    }

    /** A key's new status, or null when neither side has the key any more (a tombstone). */
    record Status(TargetTable table, ApplyKey key, ReconcileStatus status) implements Output {
    }

    /** One task's share of one table's summary. */
    record Part(ReconcileSummaryPart part) implements Output {
    }
}
