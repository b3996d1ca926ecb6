package dev.turnout.reconcile.stream;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.turnout.schemas.reconcile.ReconcileSummary;
import dev.turnout.schemas.reconcile.ReconcileSummaryPart;

/**
 * Adds up the tasks' shares of each table's summary (kept in the state store {@value #STORE} under table and task) and
 * publishes the table's {@code ReconcileSummary} when its counts or positions change, and every table's at least every
 * {@link #INTERVAL} (with the oldest unresolved age as of then). Runs as the single task of a one-partition repartition
 * topic, so one instance sums every share; confined to that task's thread.
 *
 * <p>The position reconciled up to is the highest source position compared, held below the lowest position among
 * PENDING keys: every change at or below it has been compared and is settled.
 */
final class SummaryAggregator implements Processor<String, ReconcileSummaryPart, String, ReconcileSummary> {

    static final String STORE = "reconcile-summary-parts";
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final List<String> tables;
    private final Map<String, ReconcileSummary> last = new HashMap<>();
    private final Map<String, Long> lastOldest = new HashMap<>();
    private ProcessorContext<String, ReconcileSummary> context;
    private KeyValueStore<String, ReconcileSummaryPart> store;

    SummaryAggregator(List<String> tables) {
        this.tables = List.copyOf(tables);
    }

    @Override
    public void init(ProcessorContext<String, ReconcileSummary> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        context.schedule(INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> tables.forEach(t -> emit(t, now, true)));
    }

    @Override
    public void process(Record<String, ReconcileSummaryPart> record) {
        ReconcileSummaryPart part = record.value();
        store.put(part.getTable() + "\u0000" + part.getTask(), part);
        emit(part.getTable(), context.currentSystemTimeMs(), false);
    }

    private void emit(String table, long now, boolean always) {
        long match = 0;
        long pending = 0;
        long mismatch = 0;
        long missing = 0;
        long extra = 0;
        Long oldest = null;
        Long maxLsn = null;
        Long minPending = null;
        try (KeyValueIterator<String, ReconcileSummaryPart> parts = store.prefixScan(table + "\u0000",
            new org.apache.kafka.common.serialization.StringSerializer())) {
            while (parts.hasNext()) {
                KeyValue<String, ReconcileSummaryPart> entry = parts.next();
                ReconcileSummaryPart p = entry.value;
                match += p.getMatch();
                pending += p.getPending();
                mismatch += p.getMismatch();
                missing += p.getMissing();
                extra += p.getExtra();
                oldest = min(oldest, p.getOldestUnresolvedFirstSeen() == null ? null
                    : p.getOldestUnresolvedFirstSeen().toEpochMilli());
                maxLsn = max(maxLsn, p.getMaxLsn());
                minPending = min(minPending, p.getMinPendingLsn());
            }
        }
        Long upTo = maxLsn;
        if (maxLsn != null && minPending != null) {
            upTo = Math.min(maxLsn, minPending - 1);
        }
        ReconcileSummary summary = ReconcileSummary.newBuilder()
            .setTable(table)
            .setMatch(match)
            .setPending(pending)
            .setMismatch(mismatch)
            .setMissing(missing)
            .setExtra(extra)
            .setOldestUnresolvedAgeMs(oldest == null ? null : Math.max(0, now - oldest))
            .setSourceLsn(upTo)
            .setEmittedAt(Instant.ofEpochMilli(now))
            .build();
        ReconcileSummary previous = last.get(table);
        if (always || previous == null || changed(previous, summary) || !Objects.equals(lastOldest.get(table), oldest)) {
            last.put(table, summary);
            lastOldest.put(table, oldest);
            context.forward(new Record<>(table, summary, now));
        }
    }

    private static boolean changed(ReconcileSummary a, ReconcileSummary b) {
        return a.getMatch() != b.getMatch() || a.getPending() != b.getPending() || a.getMismatch() != b.getMismatch()
            || a.getMissing() != b.getMissing() || a.getExtra() != b.getExtra()
            || !Objects.equals(a.getSourceLsn(), b.getSourceLsn());
    }

    private static Long min(Long a, Long b) {
        if (a == null) {
            return b;
        }
        return b == null || a <= b ? a : b;
    }

    private static Long max(Long a, Long b) {
        if (a == null) {
            return b;
        }
        return b == null || a >= b ? a : b;
    }
}
