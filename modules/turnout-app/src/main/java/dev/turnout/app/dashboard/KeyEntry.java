package dev.turnout.app.dashboard;

import java.util.List;

import dev.turnout.schemas.reconcile.FieldDifference;
import dev.turnout.schemas.reconcile.KeyStatus;
import dev.turnout.schemas.reconcile.ReconcileStatus;

/**
 * The latest status of one key as the dashboard keeps it: the fields of {@code ReconcileStatus} as plain Java values,
 * smaller than the Avro object (a MATCH key shares the empty difference list).
 *
 * @param table        the target table, {@code schema.table}
 * @param key          the key as text ({@code column=value, ...})
 * @param differences  the differing fields; empty unless MISMATCH or PENDING
 * @param sourceLsn    source position of the latest expected change, or null
 * @param targetLsn    the target row's guard position, or null
 * @param pendingUntil for PENDING, when it escalates; else null
 */
record KeyEntry(String table, String key, KeyStatus status, List<Difference> differences, Long sourceLsn, Long targetLsn,
                long firstSeen, long lastChecked, Long pendingUntil) {

    /** One differing field; a null value is SQL NULL. */
    record Difference(String field, String expected, String actual) {
    }

    KeyEntry {
        differences = differences.isEmpty() ? List.of() : List.copyOf(differences);
    }

    static KeyEntry of(String table, ReconcileStatus status) {
        List<Difference> differences = status.getDifferences().stream()
            .map(KeyEntry::difference)
            .toList();
        return new KeyEntry(table, status.getKey(), status.getStatus(), differences, status.getSourceLsn(),
            status.getTargetLsn(), status.getFirstSeen().toEpochMilli(), status.getLastChecked().toEpochMilli(),
            status.getPendingUntil() == null ? null : status.getPendingUntil().toEpochMilli());
    }

    private static Difference difference(FieldDifference d) {
        return new Difference(d.getField(), d.getExpected(), d.getActual());
    }

    /** Whether the key is anything but MATCH: what the list of open keys shows. */
    boolean isOpen() {
        return status != KeyStatus.MATCH;
    }
}
