package dev.turnout.reconcile.verify;

import java.util.List;

import dev.turnout.reconcile.compare.Difference;
import dev.turnout.schemas.apply.ApplyColumn;

/**
 * What comparing one key found.
 *
 * @param key         the key in canonical form
 * @param kind        how the sides compare
 * @param differences the differing columns of a MISMATCH
 * @param targetLsn   the target row's guard column, if it has one
 */
record KeyResult(List<ApplyColumn> key, Kind kind, List<Difference> differences, Long targetLsn) {

    enum Kind { EQUAL, MISSING, EXTRA, MISMATCH }

    KeyResult {
        key = List.copyOf(key);
        differences = List.copyOf(differences);
    }

    /** Whether the target row was written from a change after {@code position}. */
    boolean changedSince(long position) {
        return targetLsn != null && targetLsn > position;
    }
}
