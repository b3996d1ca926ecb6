package dev.turnout.reconcile.verify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.LongConsumer;

import dev.turnout.reconcile.compare.Difference;
import dev.turnout.reconcile.compare.RowComparator;
import dev.turnout.schemas.apply.ApplyColumn;
import dev.turnout.schemas.apply.ApplyKey;
import dev.turnout.schemas.reconcile.ReconcileObservation;
import dev.turnout.schemas.reconcile.Side;
import dev.turnout.transform.MappingEvaluationException;
import dev.turnout.transform.SourceColumn;

/**
 * Walks both sides of one table in key order and compares them row by row in the JVM, applying the mapping to each
 * source row ({@code TableMapping.apply}): the comparison of computed columns, and of every column when checksums
 * cannot be used. Both sides are read with server-side cursors ({@code fetchSize}); in SQL key order when the plan
 * allows ({@link TablePlan#sqlOrder()}, text keys sorted {@code COLLATE "C"}), else sorted in the JVM
 * ({@link ExternalSorter}). The source is read on the caller's connection (the snapshot at the compared position), the
 * target in a transaction of its own.
 */
final class OrderedMerge {

    private static final int FETCH = 1_000;
    private static final int RUN = 200_000;

    /** What the merge found. */
    record Outcome(long sourceRows, long targetRows, long rowsCompared, List<KeyResult> differing,
                   List<String> unmappable, long unmappableCount) {
    }

    private final TablePlan plan;
    private final List<String> columns;
    private final int samples;

    /**
     * @param columns the target columns compared (key columns are matched whatever this says)
     * @param samples how many unmappable source keys to name
     */
    OrderedMerge(TablePlan plan, List<String> columns, int samples) {
        this.plan = plan;
        this.columns = List.copyOf(columns);
        this.samples = samples;
    }

    /**
     * @param only when not null, only these keys are reported (a re-check of keys an earlier round flagged)
     */
    Outcome run(Connection source, Connection target, Set<List<ApplyColumn>> only, LongConsumer progress)
        throws SQLException {
        boolean targetAutoCommit = target.getAutoCommit();
        target.setAutoCommit(false);
        boolean sourceAutoCommit = source.getAutoCommit();
        source.setAutoCommit(false);
        try (PreparedStatement s = source.prepareStatement(query(true));
             PreparedStatement t = target.prepareStatement(query(false))) {
            s.setFetchSize(FETCH);
            t.setFetchSize(FETCH);
            try (ResultSet sr = s.executeQuery(); ResultSet tr = t.executeQuery()) {
                Expected expected = new Expected(sr);
                Actual actual = new Actual(tr);
                Walked walked;
                if (plan.sqlOrder()) {
                    walked = merge(expected, actual, KeyOrder.INSTANCE, only, progress);
                } else {
                    try (ExternalSorter es = sort(expected, Side.EXPECTED);
                         ExternalSorter as = sort(actual, Side.ACTUAL)) {
                        walked = merge(new Decoding(es.sorted()), new Decoding(as.sorted()), BYTES, only, progress);
                    }
                }
                return new Outcome(expected.rows, actual.rows, walked.compared(), walked.differing(),
                    expected.unmappable, expected.unmappableCount);
            }
        } finally {
            target.commit();
            target.setAutoCommit(targetAutoCommit);
            if (sourceAutoCommit) {
                source.commit();
                source.setAutoCommit(true);
            }
        }
    }

    private static final Comparator<List<ApplyColumn>> BYTES = (a, b) -> KeyOrder.unsigned(encode(a), encode(b));

    private record Walked(long compared, List<KeyResult> differing) {
    }

    private Walked merge(Iterator<RowReaders.Keyed> expected, Iterator<RowReaders.Keyed> actual,
                         Comparator<List<ApplyColumn>> order, Set<List<ApplyColumn>> only, LongConsumer progress) {
        List<KeyResult> differing = new ArrayList<>();
        long compared = 0;
        RowReaders.Keyed e = next(expected);
        RowReaders.Keyed a = next(actual);
        while (e != null || a != null) {
            int c = e == null ? 1 : a == null ? -1 : order.compare(e.key(), a.key());
            KeyResult result;
            if (c < 0) {
                result = new KeyResult(e.key(), KeyResult.Kind.MISSING, List.of(), null);
                e = next(expected);
            } else if (c > 0) {
                result = new KeyResult(a.key(), KeyResult.Kind.EXTRA, List.of(), a.lsn());
                a = next(actual);
            } else {
                List<Difference> differences = RowComparator.compare(plan.table(), e.columns(), a.columns());
                result = new KeyResult(e.key(), differences.isEmpty() ? KeyResult.Kind.EQUAL : KeyResult.Kind.MISMATCH,
                    differences, a.lsn());
                e = next(expected);
                a = next(actual);
            }
            compared++;
            if ((compared & 1023) == 0) {
                progress.accept(compared);
            }
            if (result.kind() != KeyResult.Kind.EQUAL && (only == null || only.contains(result.key()))) {
                differing.add(result);
            }
        }
        progress.accept(compared);
        return new Walked(compared, differing);
    }

    private static RowReaders.Keyed next(Iterator<RowReaders.Keyed> it) {
        return it.hasNext() ? it.next() : null;
    }

    private ExternalSorter sort(Iterator<RowReaders.Keyed> rows, Side side) {
        ExternalSorter sorter = new ExternalSorter(RUN);
        try {
            while (rows.hasNext()) {
                RowReaders.Keyed k = rows.next();
                ReconcileObservation o = new ReconcileObservation(plan.table().id().toString(), side, k.key(), true,
                    k.columns(), k.lsn());
                sorter.add(array(encode(k.key())), array(o.toByteBuffer()));
            }
        } catch (IOException e) {
            sorter.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            sorter.close();
            throw e;
        }
        return sorter;
    }

    private static ByteBuffer encode(List<ApplyColumn> key) {
        try {
            return new ApplyKey(key).toByteBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] array(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private String query(boolean source) {
        List<String> order = new ArrayList<>();
        if (plan.sqlOrder()) {
            List<String> keys = source ? plan.sourceKey().orElseThrow() : plan.table().key();
            for (String k : keys) {
                String udt = (source ? plan.sourceSchema().column(k) : plan.table().column(k))
                    .map(SourceColumn::type).orElse("");
                order.add(Sql.id(k) + (KeyOrder.COLLATABLE.contains(udt) ? " COLLATE \"C\"" : ""));
            }
        }
        return "SELECT " + JdbcRows.selectAll(source ? plan.sourceSchema() : plan.table().schema()) + " FROM "
            + Sql.table(source ? plan.table().mapping().source() : plan.table().id())
            + (order.isEmpty() ? "" : " ORDER BY " + Sql.list(order));
    }

    /** Expected rows from the source cursor, skipping rows the mapping filters out or cannot map. */
    private final class Expected implements Iterator<RowReaders.Keyed> {
        private final ResultSet cursor;
        private RowReaders.Keyed next;
        long rows;
        long unmappableCount;
        final List<String> unmappable = new ArrayList<>();

        Expected(ResultSet cursor) {
            this.cursor = cursor;
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            try {
                while (cursor.next()) {
                    rows++;
                    try {
                        var mapped = RowReaders.expected(cursor, plan, columns);
                        if (mapped.isPresent()) {
                            next = mapped.get();
                            return true;
                        }
                    } catch (MappingEvaluationException e) {
                        unmappableCount++;
                        if (unmappable.size() < samples) {
                            unmappable.add(RowReaders.sourceKey(cursor, plan) + ": " + e.getMessage());
                        }
                    }
                }
                return false;
            } catch (SQLException e) {
                throw new UncheckedSqlException(e);
            }
        }

        @Override
        public RowReaders.Keyed next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            RowReaders.Keyed out = next;
            next = null;
            return out;
        }
    }

    /** Actual rows from the target cursor. */
    private final class Actual implements Iterator<RowReaders.Keyed> {
        private final ResultSet cursor;
        private Boolean has;
        long rows;

        Actual(ResultSet cursor) {
            this.cursor = cursor;
        }

        @Override
        public boolean hasNext() {
            if (has == null) {
                try {
                    has = cursor.next();
                    if (has) {
                        rows++;
                    }
                } catch (SQLException e) {
                    throw new UncheckedSqlException(e);
                }
            }
            return has;
        }

        @Override
        public RowReaders.Keyed next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            has = null;
            try {
                return RowReaders.actual(cursor, plan, columns);
            } catch (SQLException e) {
                throw new UncheckedSqlException(e);
            }
        }
    }

    /** Sorted entries back to rows. */
    private static final class Decoding implements Iterator<RowReaders.Keyed> {
        private final Iterator<ExternalSorter.Entry> entries;

        Decoding(Iterator<ExternalSorter.Entry> entries) {
            this.entries = entries;
        }

        @Override
        public boolean hasNext() {
            return entries.hasNext();
        }

        @Override
        public RowReaders.Keyed next() {
            try {
                ReconcileObservation o = ReconcileObservation.fromByteBuffer(ByteBuffer.wrap(entries.next().value()));
                return new RowReaders.Keyed(o.getKey(), o.getColumns(), o.getLsn());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A JDBC failure inside an iterator; unwrapped by the verifier. */
    static final class UncheckedSqlException extends RuntimeException {
        UncheckedSqlException(SQLException cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
