package dev.turnout.reconcile.stream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.turnout.reconcile.compare.TargetTable;
import dev.turnout.schemas.apply.ApplyKey;
import dev.turnout.schemas.reconcile.KeyStatus;
import dev.turnout.schemas.reconcile.ReconcileKeyState;
import dev.turnout.schemas.reconcile.ReconcileObservation;
import dev.turnout.schemas.reconcile.ReconcileStatus;
import dev.turnout.schemas.reconcile.Side;

/**
 * Joins, per target key, the two sides' observations in the state store {@value #STORE} and publishes the key's status
 * after every change ({@link KeyStates} has the rules). A wall-clock punctuator escalates PENDING keys whose grace is
 * over even when no record arrives, and another sends this task's share of each table's summary, at most once a second
 * and only when it changed.
 *
 * <p>Kafka Streams creates one per task, after its store is restored, and calls it from that task's thread only. The
 * PENDING deadlines and the tallies live in memory and are rebuilt from the store in {@link #init}, so a task moved to
 * another instance, or restarted, carries on where it was.
 */
final class KeyReconciler implements Processor<Bytes, ReconcileObservation, Bytes, Output> {

    static final String STORE = "reconcile-keys";
    private static final Duration PART_INTERVAL = Duration.ofSeconds(1);

    private final Map<String, TargetTable> tables;
    private final Duration grace;
    private final Map<Bytes, Long> deadlines = new HashMap<>();
    private final Map<String, TableTally> tallies = new LinkedHashMap<>();
    private ProcessorContext<Bytes, Output> context;
    private KeyValueStore<Bytes, ReconcileKeyState> store;

    KeyReconciler(Map<String, TargetTable> tables, Duration grace) {
        this.tables = tables;
        this.grace = grace;
    }

    @Override
    public void init(ProcessorContext<Bytes, Output> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        tables.keySet().forEach(t -> tallies.put(t, new TableTally(t)));
        try (KeyValueIterator<Bytes, ReconcileKeyState> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, ReconcileKeyState> entry = all.next();
                TableTally tally = tallies.get(entry.value.getTable());
                if (tally == null) {
                    continue;
                }
                tally.add(entry.value);
                tally.compared(entry.value.getExpectedLsn());
                if (entry.value.getStatus() == KeyStatus.PENDING) {
                    deadlines.put(entry.key, KeyStates.deadline(entry.value, grace));
                }
            }
        }
        long escalateEvery = Math.max(100, Math.min(1_000, grace.toMillis() / 3));
        context.schedule(Duration.ofMillis(escalateEvery), PunctuationType.WALL_CLOCK_TIME, this::escalate);
        context.schedule(PART_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::sendParts);
    }

    @Override
    public void process(Record<Bytes, ReconcileObservation> record) {
        ReconcileObservation change = record.value();
        TargetTable table = tables.get(change.getTable());
        if (table == null) {
            throw new IllegalStateException("an observation of " + change.getTable() + ", which is not reconciled");
        }
        long now = context.currentSystemTimeMs();
        ReconcileKeyState previous = store.get(record.key());
        KeyStates.Outcome outcome = KeyStates.observe(previous, change, table, now, grace);
        TableTally tally = tallies.get(change.getTable());
        if (change.getSide() == Side.EXPECTED) {
            tally.compared(change.getLsn());
        }
        if (previous == null && outcome.state() == null) {
            // A delete of a key this task never saw on either side (its insert compacted away): nothing to say.
            return;
        }
        publish(record.key(), table, previous, outcome, now);
    }

    private void escalate(long now) {
        List<Bytes> due = new ArrayList<>();
        deadlines.forEach((key, deadline) -> {
            if (deadline <= now) {
                due.add(key);
            }
        });
        for (Bytes key : due) {
            ReconcileKeyState state = store.get(key);
            if (state == null) {
                deadlines.remove(key);
                continue;
            }
            TargetTable table = tables.get(state.getTable());
            publish(key, table, state, KeyStates.recheck(state, table, now, grace), now);
        }
    }

    /** Stores the key's new state, or deletes it, and publishes its status; {@code previous} or the new state exists. */
    private void publish(Bytes key, TargetTable table, ReconcileKeyState previous, KeyStates.Outcome outcome,
                         long now) {
        TableTally tally = tallies.get(table.id().toString());
        tally.remove(previous);
        ReconcileKeyState state = outcome.state();
        ApplyKey applyKey = new ApplyKey((state != null ? state : previous).getKey());
        if (state == null) {
            store.delete(key);
            deadlines.remove(key);
        } else {
            store.put(key, state);
            tally.add(state);
            if (state.getStatus() == KeyStatus.PENDING) {
                deadlines.put(key, KeyStates.deadline(state, grace));
            } else {
                deadlines.remove(key);
            }
        }
        ReconcileStatus status = outcome.status();
        context.forward(new Record<>(key, new Output.Status(table, applyKey, status), now));
    }

    private void sendParts(long now) {
        String task = context.taskId().toString();
        tallies.forEach((table, tally) -> {
            if (tally.dirty()) {
                context.forward(new Record<>(Bytes.wrap(table.getBytes(StandardCharsets.UTF_8)),
                    new Output.Part(tally.part(task)), now));
            }
        });
    }
}
