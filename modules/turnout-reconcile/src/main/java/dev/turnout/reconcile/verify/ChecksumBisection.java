package dev.turnout.reconcile.verify;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.LongConsumer;

import dev.turnout.transform.SourceColumn;

/**
 * Compares the checksum columns of one table ({@link TablePlan#checksumColumns()}) in SQL, by key range: each side
 * gives the range's row count and the sum of a 64-bit hash of each row ({@code hash_record_extended} of its values,
 * the source's cast to the target's column types, numerics without trailing zeros); equal ranges are done, a
 * differing range is split at {@code factor - 1} keys of the side with more rows and each part compared again, and a
 * differing range of at most {@code threshold} rows is compared row by row (key and row hash). Only keys are moved
 * between the databases, never rows.
 *
 * <p>The source is read on the caller's connection (the snapshot at the compared position); the target on its own.
 * Keys travel as the target type's text and are bound cast to each side's type. Returns the keys whose rows differ or
 * exist on one side only, as key texts; the caller compares those rows in the JVM, which decides.
 */
final class ChecksumBisection {

    /** Target types ({@code format_type} names) the row hash hashes by value; see {@code Side.hashable}. */
    private static final List<String> HASHED_BY_VALUE = List.of("smallint", "integer", "bigint", "numeric", "real",
        "double precision", "boolean", "date", "timestamp", "time", "interval", "uuid", "bytea", "jsonb", "inet",
        "cidr", "macaddr");
    private static final List<String> TEXT_TYPES = List.of("text", "character varying", "character");

    /** One key range: from {@code low} (inclusive) to {@code high} (exclusive); null is unbounded. */
    private record Range(List<String> low, List<String> high) {
    }

    private record Checksum(long count, BigDecimal sum) {
    }

    /** What the comparison found. */
    record Outcome(long sourceRows, long targetRows, long rowsCompared, Set<List<String>> keys) {
    }

    private final TablePlan plan;
    private final Connection source;
    private final Connection target;
    private final int factor;
    private final int threshold;
    private final Side sourceSide;
    private final Side targetSide;

    ChecksumBisection(TablePlan plan, Connection source, Connection target, int factor, int threshold) {
        this.plan = plan;
        this.source = source;
        this.target = target;
        this.factor = factor;
        this.threshold = threshold;
        this.sourceSide = Side.source(plan);
        this.targetSide = Side.target(plan);
    }

    Outcome run(LongConsumer progress) throws SQLException {
        Deque<Range> work = new ArrayDeque<>();
        work.push(new Range(null, null));
        Set<List<String>> differing = new LinkedHashSet<>();
        long compared = 0;
        long sourceRows = -1;
        long targetRows = -1;
        while (!work.isEmpty()) {
            Range range = work.pop();
            Both<Checksum> sums = onBothSides((c, side) -> checksum(c, side, range));
            Checksum s = sums.source();
            Checksum t = sums.target();
            if (sourceRows < 0) {
                sourceRows = s.count();
                targetRows = t.count();
            }
            if (s.equals(t)) {
                compared += s.count();
                progress.accept(compared);
                continue;
            }
            long larger = Math.max(s.count(), t.count());
            List<List<String>> bounds = larger <= threshold ? List.of()
                : boundaries(s.count() >= t.count() ? source : target, s.count() >= t.count() ? sourceSide : targetSide,
                range, larger);
            if (bounds.isEmpty()) {
                differing.addAll(rowByRow(range));
                compared += larger;
                progress.accept(compared);
                continue;
            }
            List<Range> parts = new ArrayList<>();
            List<String> low = range.low();
            for (List<String> bound : bounds) {
                parts.add(new Range(low, bound));
                low = bound;
            }
            parts.add(new Range(low, range.high()));
            for (int i = parts.size() - 1; i >= 0; i--) {
                work.push(parts.get(i));
            }
        }
        return new Outcome(Math.max(sourceRows, 0), Math.max(targetRows, 0), compared, differing);
    }

    /** One query, run on one side. */
    @FunctionalInterface
    private interface SideQuery<T> {
        T run(Connection c, Side side) throws SQLException;
    }

    private record Both<T>(T source, T target) {
    }

    /**
     * Runs {@code query} on the source on a second thread while it runs on the target on this one: they are different
     * servers, so the comparison takes the slower side's time rather than the sum (turnout-bench, scenario verify).
     * Returns only when both have finished, so neither connection is still busy when the caller goes on.
     */
    private <T> Both<T> onBothSides(SideQuery<T> query) throws SQLException {
        FutureTask<T> onSource = new FutureTask<>(() -> query.run(source, sourceSide));
        Thread thread = new Thread(onSource, "turnout-verify-source");
        thread.setDaemon(true);
        thread.start();
        T onTarget;
        try {
            onTarget = query.run(target, targetSide);
        } finally {
            awaitQuietly(onSource);
        }
        try {
            return new Both<>(onSource.get(), onTarget);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("Querying the source failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while comparing " + sourceSide.table(), e);
        }
    }

    private static void awaitQuietly(FutureTask<?> task) {
        boolean interrupted = false;
        while (true) {
            try {
                task.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private Checksum checksum(Connection c, Side side, Range range) throws SQLException {
        String sql = "SELECT count(*), coalesce(sum(" + side.rowHash() + "), 0) FROM " + side.table()
            + where(side, range);
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, range);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return new Checksum(r.getLong(1), r.getBigDecimal(2));
            }
        }
    }

    /** Keys at every {@code ceil(rows / factor)}-th row of the range, in order: where to split it. */
    private List<List<String>> boundaries(Connection c, Side side, Range range, long rows) throws SQLException {
        long step = Math.max(1, (rows + factor - 1) / factor);
        int width = plan.checksumKeyWidth();
        String sql = "SELECT " + Sql.list(labels("k", width)) + " FROM (SELECT " + side.keyTextsAs("k")
            + ", row_number() OVER (ORDER BY " + side.keyOrder() + ") AS rn FROM " + side.table() + where(side, range)
            + ") s WHERE rn % " + step + " = 1 AND rn > 1 ORDER BY rn";
        List<List<String>> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, range);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(row(r, width, 1));
                }
            }
        }
        return out;
    }

    private Set<List<String>> rowByRow(Range range) throws SQLException {
        Both<Map<List<String>, String>> both = onBothSides((c, side) -> hashes(c, side, range));
        Map<List<String>, String> s = both.source();
        Map<List<String>, String> t = both.target();
        Set<List<String>> out = new LinkedHashSet<>();
        Set<List<String>> all = new HashSet<>(s.keySet());
        all.addAll(t.keySet());
        for (List<String> key : all) {
            if (!java.util.Objects.equals(s.get(key), t.get(key))) {
                out.add(key);
            }
        }
        return out;
    }

    private Map<List<String>, String> hashes(Connection c, Side side, Range range) throws SQLException {
        int width = plan.checksumKeyWidth();
        String sql = "SELECT " + side.keyTexts() + ", " + side.rowHash() + " FROM " + side.table() + where(side, range);
        Map<List<String>, String> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, range);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(row(r, width, 1), r.getString(width + 1));
                }
            }
        }
        return out;
    }

    private static List<String> row(ResultSet r, int width, int from) throws SQLException {
        List<String> key = new ArrayList<>(width);
        for (int i = 0; i < width; i++) {
            key.add(r.getString(from + i));
        }
        return key;
    }

    private static List<String> labels(String prefix, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    private String where(Side side, Range range) {
        List<String> conditions = new ArrayList<>();
        if (range.low() != null) {
            conditions.add(side.keyTuple() + " >= " + side.keyParams());
        }
        if (range.high() != null) {
            conditions.add(side.keyTuple() + " < " + side.keyParams());
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static void bind(PreparedStatement s, Range range) throws SQLException {
        int i = 1;
        for (List<String> bound : java.util.Arrays.asList(range.low(), range.high())) {
            if (bound != null) {
                for (String v : bound) {
                    s.setString(i++, v);
                }
            }
        }
    }

    /** The SQL of one side: its table, key columns and row hash over the checksum columns. */
    private record Side(String table, List<String> keyColumns, List<String> keyTypes, List<String> keyTextExprs,
                        List<Boolean> collate, String rowHash) {

        static Side source(TablePlan plan) {
            List<String> keys = plan.sourceKey().orElseThrow();
            List<String> types = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            List<Boolean> collate = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                types.add(plan.sourceTypes().type(keys.get(i)));
                texts.add("CAST(" + Sql.id(keys.get(i)) + " AS " + plan.targetTypes().type(plan.table().key().get(i))
                    + ")::text");
                collate.add(plan.textKeysInC() && collatable(plan.sourceSchema().column(keys.get(i))
                    .map(SourceColumn::type).orElse("")));
            }
            List<String> values = new ArrayList<>();
            for (String column : plan.checksumColumns()) {
                String copied = plan.table().mapping().copiedFrom(column).orElseThrow();
                String type = plan.targetTypes().type(column);
                String expr = "CAST(" + Sql.id(copied) + " AS " + type + ")";
                String udt = plan.table().column(column).map(SourceColumn::type).orElse("");
                values.add(hashable(normal(expr, udt), type));
            }
            return new Side(Sql.table(plan.table().mapping().source()), keys, types, texts, collate, hash(values));
        }

        static Side target(TablePlan plan) {
            List<String> keys = plan.table().key();
            List<String> types = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            List<Boolean> collate = new ArrayList<>();
            for (String key : keys) {
                types.add(plan.targetTypes().type(key));
                texts.add(Sql.id(key) + "::text");
                collate.add(plan.textKeysInC() && collatable(plan.table().column(key).map(SourceColumn::type)
                    .orElse("")));
            }
            List<String> values = new ArrayList<>();
            for (String column : plan.checksumColumns()) {
                values.add(hashable(normal(Sql.id(column), plan.table().column(column).map(SourceColumn::type)
                    .orElse("")), plan.targetTypes().type(column)));
            }
            return new Side(Sql.table(plan.table().id()), keys, types, texts, collate, hash(values));
        }

        private static boolean collatable(String udt) {
            return KeyOrder.COLLATABLE.contains(udt);
        }

        /** Numerics compare by value: trailing zeros of the scale are not a difference. */
        private static String normal(String expr, String targetUdt) {
            return targetUdt.equals("numeric") ? "trim_scale(" + expr + ")" : expr;
        }

        /**
         * A 64-bit hash of the row, from each value's own hash function ({@code hash_record_extended}, PostgreSQL 14
         * and later, which {@link TablePlan} requires of both servers for checksums). Hashing values rather than the
         * row's text skips the conversion of every value to text, which was most of the comparison's time
         * (turnout-bench, scenario verify). Both sides hash values of the same (the target's) types.
         */
        private static String hash(List<String> values) {
            return "hash_record_extended(ROW(" + Sql.list(values) + "), 0)";
        }

        /**
         * The value as it goes into the row hash: as is for types whose hash is by value and the same on every server
         * (those hash partitioning relies on), text in the "C" collation byte for byte (a nondeterministic collation
         * would hash case-insensitively), and every other type (arrays, enums, json, geometric types, user types) as
         * its text in "C".
         */
        private static String hashable(String expr, String targetType) {
            boolean array = targetType.endsWith("]");
            if (!array && startsWithAny(targetType, TEXT_TYPES)) {
                return expr + " COLLATE \"C\"";
            }
            if (!array && startsWithAny(targetType, HASHED_BY_VALUE)) {
                return expr;
            }
            return "(" + expr + ")::text COLLATE \"C\"";
        }

        private static boolean startsWithAny(String type, List<String> names) {
            for (String name : names) {
                if (type.equals(name) || type.startsWith(name + "(") || type.startsWith(name + " ")) {
                    return true;
                }
            }
            return false;
        }

        String keyTuple() {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < keyColumns.size(); i++) {
                parts.add(Sql.id(keyColumns.get(i)) + (collate.get(i) ? " COLLATE \"C\"" : ""));
            }
            return Sql.tuple(parts);
        }

        String keyParams() {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < keyTypes.size(); i++) {
                parts.add("CAST(? AS " + keyTypes.get(i) + ")" + (collate.get(i) ? " COLLATE \"C\"" : ""));
            }
            return Sql.tuple(parts);
        }

        String keyOrder() {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < keyColumns.size(); i++) {
                parts.add(Sql.id(keyColumns.get(i)) + (collate.get(i) ? " COLLATE \"C\"" : ""));
            }
            return Sql.list(parts);
        }

        String keyTexts() {
            return Sql.list(keyTextExprs);
        }

        String keyTextsAs(String prefix) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < keyTextExprs.size(); i++) {
                parts.add(keyTextExprs.get(i) + " AS " + prefix + i);
            }
            return Sql.list(parts);
        }
    }
}
