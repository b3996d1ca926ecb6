package dev.turnout.apply.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import dev.turnout.core.config.TableId;

/**
 * Writes rounds of changes (no key twice in a round) to one target table, in the caller's transaction.
 *
 * <p>Per round and shape, one statement: full upserts are one {@code INSERT ... SELECT ... FROM unnest(...) ON CONFLICT
 * (key) DO UPDATE ... WHERE guard < excluded.guard}; upserts that do not carry some columns (TOAST) are one
 * {@code UPDATE ... FROM unnest(...)} keeping those columns; deletes are one statement that deletes older rows and
 * records the keys' positions in {@code turnout_tombstones}. Every value is sent as text and cast to the column's type
 * before assignment, so PostgreSQL checks length and range as for any insert.
 *
 * <p>When a statement fails on a bad value, it is rolled back to a savepoint and its changes are written one by one,
 * each under its own savepoint, to find the poison records; the rest are written. Thread-safe: statement texts are
 * cached, connections belong to the caller.
 */
public final class TableWriter {

    private final TargetTable table;
    private final Statements sql;
    private final PoisonDiagnosis diagnosis;
    private final Map<Change.Shape, String> statements = new ConcurrentHashMap<>();

    public TableWriter(TargetTable table) {
        this.table = table;
        this.sql = new Statements(table);
        this.diagnosis = new PoisonDiagnosis(table);
    }

    public TargetTable table() {
        return table;
    }

    /** What a round did. */
    public static final class Result {
        final List<Change> written = new ArrayList<>();
        final List<Change> skipped = new ArrayList<>();
        final List<Poison> poison = new ArrayList<>();

        /** Changes that took effect. */
        public List<Change> written() {
            return written;
        }

        /** Changes that were older than the row (or the key's tombstone) and changed nothing. */
        public List<Change> skipped() {
            return skipped;
        }

        /** Changes the target could not take. */
        public List<Poison> poison() {
            return poison;
        }

        void addAll(Result other) {
            written.addAll(other.written);
            skipped.addAll(other.skipped);
            poison.addAll(other.poison);
        }
    }

    /**
     * Writes one round.
     *
     * @throws SchemaMismatchException if the table cannot take these changes at all (no unique index on the key, a
     *                                 column gone)
     * @throws SQLException            for anything else: the caller retries transient failures and stops on the rest
     */
    public Result write(Connection connection, List<Change> round) throws SQLException, SchemaMismatchException {
        Map<Change.Shape, List<Change>> byShape = new LinkedHashMap<>();
        for (Change c : round) {
            byShape.computeIfAbsent(c.shape(), s -> new ArrayList<>()).add(c);
        }
        Result result = new Result();
        for (Map.Entry<Change.Shape, List<Change>> e : byShape.entrySet()) {
            result.addAll(writeShape(connection, e.getKey(), e.getValue()));
        }
        return result;
    }

    private Result writeShape(Connection connection, Change.Shape shape, List<Change> changes)
        throws SQLException, SchemaMismatchException {
        if (shape.upsert() && !table.isUniqueKey(shape.keyColumns())) {
            throw new SchemaMismatchException("target table " + table.table() + " has no primary key or unique index "
                + "on (" + String.join(", ", shape.keyColumns()) + "), the key of its apply records; upserts need one");
        }
        String text = statements.computeIfAbsent(shape, sql::statement);
        Result result = new Result();
        Savepoint before = connection.setSavepoint();
        try {
            List<Long> lsns = execute(connection, text, shape, changes);
            connection.releaseSavepoint(before);
            sort(changes, lsns, result);
        } catch (SQLException e) {
            if (!SqlErrors.isBadValue(e)) {
                rollbackQuietly(connection, before, e);
                throw mismatchOr(e);
            }
            connection.rollback(before);
            for (Change change : changes) {
                Savepoint one = connection.setSavepoint();
                try {
                    List<Long> lsns = execute(connection, text, shape, List.of(change));
                    connection.releaseSavepoint(one);
                    sort(List.of(change), lsns, result);
                } catch (SQLException single) {
                    if (!SqlErrors.isBadValue(single)) {
                        rollbackQuietly(connection, one, single);
                        throw mismatchOr(single);
                    }
                    connection.rollback(one);
                    result.poison.add(diagnosis.diagnose(connection, change, single));
                }
            }
        }
        if (shape.partial()) {
            unavailableOnInsert(connection, shape, result);
        }
        return result;
    }

    /** Sorts changes into written and skipped by the positions the statement returned for the rows it wrote. */
    private static void sort(List<Change> changes, List<Long> lsns, Result result) {
        Map<Long, Integer> returned = new java.util.HashMap<>();
        lsns.forEach(l -> returned.merge(l, 1, Integer::sum));
        for (Change c : changes) {
            Integer n = returned.get(c.lsn());
            if (n != null && n > 0) {
                returned.put(c.lsn(), n - 1);
                result.written.add(c);
            } else {
                result.skipped.add(c);
            }
        }
    }

    /**
     * A partial upsert writes nothing when its row does not exist; unless a newer tombstone explains that, it is
     * poison: there is no value to keep for the columns it does not carry.
     */
    private void unavailableOnInsert(Connection connection, Change.Shape shape, Result result) throws SQLException {
        List<Change> candidates = result.skipped;
        if (candidates.isEmpty()) {
            return;
        }
        List<String> keys = shape.keyColumns();
        List<Integer> poisoned = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(sql.missingRows(keys))) {
            int p = 1;
            for (int k = 0; k < keys.size(); k++) {
                int index = k;
                s.setArray(p++, texts(connection, candidates, c -> c.keyValues().get(index)));
            }
            s.setArray(p++, connection.createArrayOf("bigint", candidates.stream().map(Change::lsn).toArray()));
            s.setArray(p++, texts(connection, candidates, Change::tombstoneKey));
            Integer[] indexes = new Integer[candidates.size()];
            for (int i = 0; i < indexes.length; i++) {
                indexes[i] = i;
            }
            s.setArray(p++, connection.createArrayOf("integer", indexes));
            s.setString(p, table.table().toString());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    poisoned.add(r.getInt(1));
                }
            }
        }
        List<Change> nowPoison = poisoned.stream().sorted().map(candidates::get).toList();
        for (Change c : nowPoison) {
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < c.columns().size(); i++) {
                if (c.unavailable().get(i)) {
                    missing.add(c.columns().get(i));
                }
            }
            result.poison.add(new Poison(c.record(), table.table(), table.table() + ", column"
                + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing) + ": unavailable on insert: the "
                + "change does not carry " + (missing.size() == 1 ? "this column" : "these columns") + " (an unchanged "
                + "TOASTed value) and the row does not exist in the target, so there is no value to keep",
                IllegalStateException.class.getName()));
        }
        result.skipped.removeAll(nowPoison);
    }

    private List<Long> execute(Connection connection, String sql, Change.Shape shape, List<Change> changes)
        throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            int p = 1;
            List<String> columns = shape.upsert() ? shape.columns() : shape.keyColumns();
            for (int i = 0; i < columns.size(); i++) {
                int index = i;
                s.setArray(p++, texts(connection, changes,
                    c -> shape.upsert() ? c.values().get(index) : c.keyValues().get(index)));
            }
            s.setArray(p++, connection.createArrayOf("bigint", changes.stream().map(Change::lsn).toArray()));
            s.setArray(p++, texts(connection, changes, Change::tombstoneKey));
            if (shape.partial()) {
                s.setArray(p++, texts(connection, changes, TableWriter::mask));
            }
            s.setString(p, table.table().toString());
            List<Long> lsns = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    lsns.add(r.getLong(1));
                }
            }
            return lsns;
        }
    }

    private static Array texts(Connection connection, List<Change> changes,
                               java.util.function.Function<Change, String> value) throws SQLException {
        String[] out = new String[changes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = value.apply(changes.get(i));
        }
        return connection.createArrayOf("text", out);
    }

    private static String mask(Change c) {
        return c.unavailable().stream().map(u -> u ? "1" : "0").collect(Collectors.joining());
    }

    private SQLException mismatchOr(SQLException e) throws SchemaMismatchException {
        String state = String.valueOf(e.getSQLState());
        if (state.equals("42P10")) {
            throw new SchemaMismatchException("target table " + table.table() + ": " + SqlErrors.message(e)
                + " (the key of its apply records must be its primary key or a unique index)", e);
        }
        if (state.equals("42703") || state.equals("42P01") || state.equals("42804")) {
            throw new SchemaMismatchException("target table " + table.table() + " changed under the applier: "
                + SqlErrors.message(e), e);
        }
        return e;
    }

    private static void rollbackQuietly(Connection connection, Savepoint savepoint, SQLException cause) {
        try {
            connection.rollback(savepoint);
        } catch (SQLException again) {
            cause.addSuppressed(again);
        }
    }

    @Override
    public String toString() {
        return "TableWriter[" + table.table() + "]";
    }

    /** The table this writer was built for. */
    public TableId tableId() {
        return table.table();
    }
}
