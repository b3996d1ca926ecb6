package dev.turnout.app.dashboard;

import dev.turnout.schemas.reconcile.ReconcileSummary;

/** How many keys of one table are in each status. */
record StatusCounts(long match, long pending, long mismatch, long missing, long extra) {

    static final StatusCounts NONE = new StatusCounts(0, 0, 0, 0, 0);

    static StatusCounts of(ReconcileSummary summary) {
        return new StatusCounts(summary.getMatch(), summary.getPending(), summary.getMismatch(), summary.getMissing(),
            summary.getExtra());
    }

    long total() {
        return match + pending + mismatch + missing + extra;
    }
}
