package dev.turnout.app.dashboard;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import dev.turnout.schemas.reconcile.KeyStatus;
import dev.turnout.schemas.reconcile.ReconcileSummary;

/**
 * What the dashboard knows, rebuilt from the compacted reconcile topics: the latest summary of every table, the latest
 * status of every key (a tombstone removes it), the trend of each table's counts, and how the reader is doing.
 *
 * <p>Thread-safe: one reader thread writes, the trend sampler and HTTP request threads read. Keys are held by the
 * Avro body of their {@code ApplyKey} (one writer schema encodes one key one way), so a tombstone finds the key it
 * removes without decoding.
 */
final class ReconcileView {

    /** Open keys first by how bad they are, then the oldest first. */
    static final Comparator<KeyEntry> WORST_FIRST = Comparator
        .comparingInt((KeyEntry k) -> severity(k.status()))
        .thenComparingLong(KeyEntry::firstSeen)
        .thenComparing(KeyEntry::key);

    private final Map<String, ReconcileSummary> summaries = new ConcurrentHashMap<>();
    private final Map<String, Map<ByteBuffer, KeyEntry>> keys = new ConcurrentHashMap<>();
    private final Map<String, Map<ByteBuffer, KeyEntry>> open = new ConcurrentHashMap<>();
    private final Map<String, TrendRing> trends = new ConcurrentHashMap<>();
    private final int trendCapacity;
    private volatile ReaderState reader = ReaderState.connecting();

    /** The reader's progress, shown in the page's header. */
    record ReaderState(String state, String detail, long unreadable) {
        static ReaderState connecting() {
            return new ReaderState("connecting", null, 0);
        }
    }

    ReconcileView(int trendCapacity) {
        this.trendCapacity = trendCapacity;
    }

    void putSummary(String table, ReconcileSummary summary) {
        summaries.put(table, summary);
    }

    void removeSummary(String table) {
        summaries.remove(table);
    }

    void putKey(String table, ByteBuffer key, KeyEntry entry) {
        keys.computeIfAbsent(table, t -> new ConcurrentHashMap<>()).put(key, entry);
        Map<ByteBuffer, KeyEntry> tableOpen = open.computeIfAbsent(table, t -> new ConcurrentHashMap<>());
        if (entry.isOpen()) {
            tableOpen.put(key, entry);
        } else {
            tableOpen.remove(key);
        }
    }

    void removeKey(String table, ByteBuffer key) {
        Map<ByteBuffer, KeyEntry> tableKeys = keys.get(table);
        if (tableKeys != null) {
            tableKeys.remove(key);
        }
        Map<ByteBuffer, KeyEntry> tableOpen = open.get(table);
        if (tableOpen != null) {
            tableOpen.remove(key);
        }
    }

    void reader(ReaderState state) {
        this.reader = state;
    }

    ReaderState reader() {
        return reader;
    }

    /** Every table that has a summary or keys, sorted. */
    SortedSet<String> tables() {
        SortedSet<String> out = new TreeSet<>(summaries.keySet());
        out.addAll(keys.keySet());
        return out;
    }

    Optional<ReconcileSummary> summary(String table) {
        return Optional.ofNullable(summaries.get(table));
    }

    /**
     * The table's counts: its summary's, which the reconciliation computed over every key; before the first summary,
     * counted from the keys read so far.
     */
    StatusCounts counts(String table) {
        ReconcileSummary summary = summaries.get(table);
        if (summary != null) {
            return StatusCounts.of(summary);
        }
        long[] n = new long[KeyStatus.values().length];
        keys.getOrDefault(table, Map.of()).values().forEach(k -> n[k.status().ordinal()]++);
        return new StatusCounts(n[KeyStatus.MATCH.ordinal()], n[KeyStatus.PENDING.ordinal()],
            n[KeyStatus.MISMATCH.ordinal()], n[KeyStatus.MISSING.ordinal()], n[KeyStatus.EXTRA.ordinal()]);
    }

    /** Keys of the table currently held (every status). */
    int keysHeld(String table) {
        return keys.getOrDefault(table, Map.of()).size();
    }

    /** Records every table's counts now, for the trend. Called by the sampler. */
    void sample(long now) {
        for (String table : tables()) {
            trends.computeIfAbsent(table, t -> new TrendRing(trendCapacity))
                .add(new TrendRing.Sample(now, counts(table)));
        }
    }

    List<TrendRing.Sample> trend(String table) {
        TrendRing ring = trends.get(table);
        return ring == null ? List.of() : ring.samples();
    }

    /**
     * One page of keys, worst first.
     *
     * @param table  only this table, or every table when null
     * @param status only this status, or every status but MATCH when null
     * @param search when given, keys whose text contains it (any case), of every status including MATCH unless
     *               {@code status} narrows it
     */
    Page keys(String table, KeyStatus status, String search, int offset, int limit) {
        boolean searching = search != null && !search.isBlank();
        Map<String, Map<ByteBuffer, KeyEntry>> source = searching || status == KeyStatus.MATCH ? keys : open;
        Predicate<KeyEntry> wanted = k -> status == null || k.status() == status;
        if (searching) {
            String needle = search.strip().toLowerCase(Locale.ROOT);
            wanted = wanted.and(k -> k.key().toLowerCase(Locale.ROOT).contains(needle));
        }
        List<KeyEntry> matching = new ArrayList<>();
        for (Map.Entry<String, Map<ByteBuffer, KeyEntry>> t : source.entrySet()) {
            if (table == null || table.equals(t.getKey())) {
                t.getValue().values().stream().filter(wanted).forEach(matching::add);
            }
        }
        matching.sort(WORST_FIRST);
        int from = Math.min(offset, matching.size());
        int to = Math.min(from + limit, matching.size());
        return new Page(matching.size(), from, List.copyOf(matching.subList(from, to)));
    }

    /** A page of keys and how many matched in all. */
    record Page(int total, int offset, List<KeyEntry> keys) {
    }

    private static int severity(KeyStatus status) {
        return switch (status) {
            case MISMATCH -> 0;
            case MISSING -> 1;
            case EXTRA -> 2;
            case PENDING -> 3;
            case MATCH -> 4;
        };
    }
}
