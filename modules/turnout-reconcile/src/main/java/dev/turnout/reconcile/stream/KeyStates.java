package dev.turnout.reconcile.stream;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.turnout.reconcile.compare.Difference;
import dev.turnout.reconcile.compare.Keys;
import dev.turnout.reconcile.compare.RowComparator;
import dev.turnout.reconcile.compare.TargetTable;
import dev.turnout.schemas.apply.ApplyColumn;
import dev.turnout.schemas.apply.Unavailable;
import dev.turnout.schemas.reconcile.FieldDifference;
import dev.turnout.schemas.reconcile.KeyStatus;
import dev.turnout.schemas.reconcile.ReconcileKeyState;
import dev.turnout.schemas.reconcile.ReconcileObservation;
import dev.turnout.schemas.reconcile.ReconcileStatus;
import dev.turnout.schemas.reconcile.Side;

/**
 * The status rules of one key, apart from Kafka Streams so that they can be read and tested alone. Stateless.
 *
 * <ul>
 *   <li>Both sides have the key and every compared column is the same: MATCH.</li>
 *   <li>Otherwise the key is PENDING until {@code grace} has passed since the last change of either side, then MISMATCH
 *       (both have it), MISSING (only the source) or EXTRA (only the target). A further change of either side opens a
 *       new grace period: the pipeline may not have carried it yet.</li>
 *   <li>Neither side has the key: it is forgotten (its status becomes a tombstone).</li>
 * </ul>
 * A column a change does not carry (an unchanged TOASTed value, {@code Unavailable}) keeps the value the side had;
 * when there is none, it is not compared. {@code firstSeen} is when the current difference began (kept while PENDING
 * escalates), or when the key last came to match.
 */
final class KeyStates {

    /** A key's state after an event, and the status to publish; both null when the key is gone from both sides. */
    record Outcome(ReconcileKeyState state, ReconcileStatus status) {
    }

    private KeyStates() {
    }

    /** The key's state after one side's change arrived at {@code now}. */
    static Outcome observe(ReconcileKeyState previous, ReconcileObservation change, TargetTable table, long now,
                           Duration grace) {
        ReconcileKeyState state = previous == null
            ? new ReconcileKeyState(change.getTable(), change.getKey(), null, null, null, null, KeyStatus.MATCH,
                Instant.ofEpochMilli(now), Instant.ofEpochMilli(now))
            : ReconcileKeyState.newBuilder(previous).build();
        if (change.getSide() == Side.EXPECTED) {
            state.setExpected(change.getPresent() ? carryOver(state.getExpected(), change.getColumns()) : null);
            state.setExpectedLsn(change.getLsn());
        } else {
            state.setActual(change.getPresent() ? carryOver(state.getActual(), change.getColumns()) : null);
            state.setActualLsn(change.getPresent() ? change.getLsn() : null);
        }
        state.setLastChange(Instant.ofEpochMilli(now));
        return evaluate(state, previous == null ? null : previous.getStatus(), table, now, grace);
    }

    /** The key's state at {@code now} with no new change: a PENDING key whose grace is over escalates. */
    static Outcome recheck(ReconcileKeyState state, TargetTable table, long now, Duration grace) {
        return evaluate(ReconcileKeyState.newBuilder(state).build(), state.getStatus(), table, now, grace);
    }

    /** When a PENDING key escalates unless a change arrives first. */
    static long deadline(ReconcileKeyState state, Duration grace) {
        return state.getLastChange().toEpochMilli() + grace.toMillis();
    }

    private static Outcome evaluate(ReconcileKeyState state, KeyStatus before, TargetTable table, long now,
                                    Duration grace) {
        List<ApplyColumn> expected = state.getExpected();
        List<ApplyColumn> actual = state.getActual();
        if (expected == null && actual == null) {
            return new Outcome(null, null);
        }
        List<Difference> differences = expected != null && actual != null
            ? RowComparator.compare(table, expected, actual) : List.of();
        boolean match = expected != null && actual != null && differences.isEmpty();
        KeyStatus status;
        Long pendingUntil = null;
        if (match) {
            status = KeyStatus.MATCH;
            if (before != KeyStatus.MATCH) {
                state.setFirstSeen(Instant.ofEpochMilli(now));
            }
        } else {
            if (before == null || before == KeyStatus.MATCH) {
                state.setFirstSeen(Instant.ofEpochMilli(now));
            }
            long deadline = deadline(state, grace);
            if (now < deadline) {
                status = KeyStatus.PENDING;
                pendingUntil = deadline;
            } else {
                status = actual == null ? KeyStatus.MISSING : expected == null ? KeyStatus.EXTRA : KeyStatus.MISMATCH;
            }
        }
        state.setStatus(status);
        List<FieldDifference> fields = new ArrayList<>(differences.size());
        differences.forEach(d -> fields.add(new FieldDifference(d.field(), d.expected(), d.actual())));
        ReconcileStatus published = ReconcileStatus.newBuilder()
            .setTable(state.getTable())
            .setKey(Keys.text(state.getKey()))
            .setStatus(status)
            .setDifferences(fields)
            .setSourceLsn(state.getExpectedLsn())
            .setTargetLsn(actual == null ? null : state.getActualLsn())
            .setFirstSeen(state.getFirstSeen())
            .setLastChecked(Instant.ofEpochMilli(now))
            .setPendingUntil(pendingUntil == null ? null : Instant.ofEpochMilli(pendingUntil))
            .build();
        return new Outcome(state, published);
    }

    /** The new columns, with each {@code Unavailable} replaced by the value the side had, when it had one. */
    private static List<ApplyColumn> carryOver(List<ApplyColumn> previous, List<ApplyColumn> columns) {
        if (previous == null || columns.stream().noneMatch(c -> c.getValue() instanceof Unavailable)) {
            return columns;
        }
        Map<String, Object> before = new HashMap<>();
        previous.forEach(c -> before.put(c.getName(), c.getValue()));
        List<ApplyColumn> out = new ArrayList<>(columns.size());
        for (ApplyColumn c : columns) {
            boolean keep = c.getValue() instanceof Unavailable && before.containsKey(c.getName());
            out.add(keep ? new ApplyColumn(c.getName(), before.get(c.getName())) : c);
        }
        return out;
    }
}
