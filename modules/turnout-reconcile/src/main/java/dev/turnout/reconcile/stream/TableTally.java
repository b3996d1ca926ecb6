package dev.turnout.reconcile.stream;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

import dev.turnout.schemas.reconcile.KeyStatus;
import dev.turnout.schemas.reconcile.ReconcileKeyState;
import dev.turnout.schemas.reconcile.ReconcileSummaryPart;

/**
 * One task's running tally of one table: keys per status, the first-seen times of unresolved keys (MISMATCH, MISSING,
 * EXTRA), the source positions of PENDING keys, and the highest source position compared. Confined to its task's
 * thread.
 */
final class TableTally {

    private final String table;
    private final Map<KeyStatus, Long> counts = new EnumMap<>(KeyStatus.class);
    private final TreeMap<Long, Integer> unresolvedSince = new TreeMap<>();
    private final TreeMap<Long, Integer> pendingLsns = new TreeMap<>();
    private Long maxLsn;
    private boolean dirty = true;

    TableTally(String table) {
        this.table = table;
        for (KeyStatus s : KeyStatus.values()) {
            counts.put(s, 0L);
        }
    }

    void add(ReconcileKeyState state) {
        change(state, 1);
    }

    void remove(ReconcileKeyState state) {
        change(state, -1);
    }

    /** A source position whose change was compared. */
    void compared(Long lsn) {
        if (lsn != null && (maxLsn == null || lsn > maxLsn)) {
            maxLsn = lsn;
            dirty = true;
        }
    }

    private void change(ReconcileKeyState state, int by) {
        if (state == null) {
            return;
        }
        counts.merge(state.getStatus(), (long) by, Long::sum);
        if (unresolved(state.getStatus())) {
            adjust(unresolvedSince, state.getFirstSeen().toEpochMilli(), by);
        }
        if (state.getStatus() == KeyStatus.PENDING && state.getExpectedLsn() != null) {
            adjust(pendingLsns, state.getExpectedLsn(), by);
        }
        dirty = true;
    }

    static boolean unresolved(KeyStatus status) {
        return status == KeyStatus.MISMATCH || status == KeyStatus.MISSING || status == KeyStatus.EXTRA;
    }

    private static void adjust(TreeMap<Long, Integer> multiset, long value, int by) {
        multiset.merge(value, by, (a, b) -> a + b == 0 ? null : a + b);
    }

    boolean dirty() {
        return dirty;
    }

    /** This task's share of the table's summary; clears the dirty mark. */
    ReconcileSummaryPart part(String task) {
        dirty = false;
        return ReconcileSummaryPart.newBuilder()
            .setTable(table)
            .setTask(task)
            .setMatch(counts.get(KeyStatus.MATCH))
            .setPending(counts.get(KeyStatus.PENDING))
            .setMismatch(counts.get(KeyStatus.MISMATCH))
            .setMissing(counts.get(KeyStatus.MISSING))
            .setExtra(counts.get(KeyStatus.EXTRA))
            .setOldestUnresolvedFirstSeen(unresolvedSince.isEmpty() ? null
                : java.time.Instant.ofEpochMilli(unresolvedSince.firstKey()))
            .setMaxLsn(maxLsn)
            .setMinPendingLsn(pendingLsns.isEmpty() ? null : pendingLsns.firstKey())
            .build();
    }
}
