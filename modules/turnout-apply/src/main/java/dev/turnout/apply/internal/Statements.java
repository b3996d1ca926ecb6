package dev.turnout.apply.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.turnout.apply.TurnoutTables;

/**
 * The SQL text of the applier's statements for one target table, one per change shape. Every value arrives as a text
 * array through {@code unnest} and is cast to the column's type without modifiers, so that assignment to the declared
 * type checks length and range as any insert would ({@code CAST('abcdef' AS varchar(3))} would truncate instead).
 * Parameters, in order: one array per column (or key column), the positions ({@code bigint[]}), the tombstone keys,
 * for partial upserts the masks of unavailable columns ({@code '0101'}), then the table name. Immutable.
 */
final class Statements {

    private static final String GUARD = Sql.quoted(TurnoutTables.GUARD_COLUMN);
    private static final String TOMBSTONES = Sql.quoted(TurnoutTables.TOMBSTONES);

    private final TargetTable table;
    private final String target;

    Statements(TargetTable table) {
        this.table = table;
        this.target = Sql.quoted(table.table());
    }

    /** The statement for changes of one shape. */
    String statement(Change.Shape shape) {
        if (!shape.upsert()) {
            return deleteStatement(shape.keyColumns());
        }
        return shape.partial() ? partialStatement(shape) : upsertStatement(shape);
    }

    /** {@code INSERT ... SELECT FROM unnest ... ON CONFLICT DO UPDATE ... WHERE older}, skipping tombstoned keys. */
    private String upsertStatement(Change.Shape shape) {
        List<String> columns = shape.columns();
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(target).append(" AS t (");
        for (String c : columns) {
            sql.append(Sql.quoted(c)).append(", ");
        }
        sql.append(GUARD).append(") SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            sql.append("v.c").append(i).append("::").append(castType(columns.get(i))).append(", ");
        }
        sql.append("v.lsn FROM ").append(unnest(columns.size(), false)).append(" WHERE ").append(notTombstoned())
            .append(" ON CONFLICT (").append(quotedList(shape.keyColumns())).append(") DO UPDATE SET ");
        for (String c : columns) {
            if (!shape.keyColumns().contains(c)) {
                sql.append(Sql.quoted(c)).append(" = excluded.").append(Sql.quoted(c)).append(", ");
            }
        }
        sql.append(GUARD).append(" = excluded.").append(GUARD)
            .append(" WHERE t.").append(GUARD).append(" IS NULL OR t.").append(GUARD).append(" < excluded.").append(GUARD)
            .append(" RETURNING t.").append(GUARD);
        return sql.toString();
    }

    /** {@code UPDATE ... FROM unnest} keeping the columns a change does not carry; a missing row is not inserted. */
    private String partialStatement(Change.Shape shape) {
        List<String> columns = shape.columns();
        StringBuilder sql = new StringBuilder("UPDATE ").append(target).append(" AS t SET ");
        for (int i = 0; i < columns.size(); i++) {
            String c = columns.get(i);
            if (shape.keyColumns().contains(c)) {
                continue;
            }
            sql.append(Sql.quoted(c)).append(" = CASE WHEN substr(v.mask, ").append(i + 1).append(", 1) = '1' THEN t.")
                .append(Sql.quoted(c)).append(" ELSE v.c").append(i).append("::").append(castType(c)).append(" END, ");
        }
        sql.append(GUARD).append(" = v.lsn FROM ").append(unnest(columns.size(), true)).append(" WHERE ");
        for (String k : shape.keyColumns()) {
            int i = columns.indexOf(k);
            sql.append("t.").append(Sql.quoted(k)).append(" = v.c").append(i).append("::").append(castType(k))
                .append(" AND ");
        }
        sql.append("(t.").append(GUARD).append(" IS NULL OR t.").append(GUARD).append(" < v.lsn) AND ")
            .append(notTombstoned()).append(" RETURNING v.lsn");
        return sql.toString();
    }

    /**
     * Deletes rows older than the change and records the key's position unless the row is newer: the tombstone keeps
     * a late, older upsert from bringing the key back.
     */
    private String deleteStatement(List<String> keys) {
        StringBuilder sql = new StringBuilder("WITH v AS (SELECT * FROM ").append(unnestKeys(keys.size()))
            .append("), gone AS (DELETE FROM ").append(target).append(" t USING v WHERE ").append(keyMatch(keys, "k"))
            .append(" AND (t.").append(GUARD).append(" IS NULL OR t.").append(GUARD).append(" < v.lsn) RETURNING 1) ")
            .append("INSERT INTO ").append(TOMBSTONES).append(" AS ts (target_table, key, lsn, deleted_at) ")
            .append("SELECT ?, v.tkey, v.lsn, now() FROM v WHERE NOT EXISTS (SELECT 1 FROM ").append(target)
            .append(" t WHERE ").append(keyMatch(keys, "k")).append(" AND t.").append(GUARD).append(" >= v.lsn) ")
            .append("ON CONFLICT (target_table, key) DO UPDATE SET lsn = excluded.lsn, deleted_at = excluded.deleted_at ")
            .append("WHERE ts.lsn < excluded.lsn RETURNING ts.lsn");
        return sql.toString();
    }

    private String unnest(int columns, boolean withMask) {
        StringBuilder sql = new StringBuilder("unnest(");
        for (int i = 0; i < columns; i++) {
            sql.append("?::text[], ");
        }
        sql.append("?::bigint[], ?::text[]").append(withMask ? ", ?::text[]" : "").append(") AS v(");
        for (int i = 0; i < columns; i++) {
            sql.append("c").append(i).append(", ");
        }
        return sql.append("lsn, tkey").append(withMask ? ", mask" : "").append(")").toString();
    }

    private String unnestKeys(int keys) {
        StringBuilder sql = new StringBuilder("unnest(");
        for (int i = 0; i < keys; i++) {
            sql.append("?::text[], ");
        }
        sql.append("?::bigint[], ?::text[]) AS v(");
        for (int i = 0; i < keys; i++) {
            sql.append("k").append(i).append(", ");
        }
        return sql.append("lsn, tkey)").toString();
    }

    String keyMatch(List<String> keys, String prefix) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            parts.add("t." + Sql.quoted(keys.get(i)) + " = v." + prefix + i + "::" + castType(keys.get(i)));
        }
        return String.join(" AND ", parts);
    }

    static String notTombstoned() {
        return "NOT EXISTS (SELECT 1 FROM " + TOMBSTONES
            + " ts WHERE ts.target_table = ? AND ts.key = v.tkey AND ts.lsn >= v.lsn)";
    }

    private static String quotedList(List<String> names) {
        return names.stream().map(Sql::quoted).collect(Collectors.joining(", "));
    }

    String castType(String column) {
        return table.column(column).orElseThrow(() -> new IllegalStateException(column + " is not a column of "
            + table.table())).castType();
    }

    /**
     * The indexes of partial upserts whose row does not exist and whose key has no newer tombstone: nothing explains
     * why they wrote nothing but the missing row. Parameters: key column arrays, lsn, tombstone key, index, table.
     */
    String missingRows(List<String> keys) {
        StringBuilder sql = new StringBuilder("SELECT v.i FROM unnest(");
        for (int k = 0; k < keys.size(); k++) {
            sql.append("?::text[], ");
        }
        sql.append("?::bigint[], ?::text[], ?::int[]) AS v(");
        for (int k = 0; k < keys.size(); k++) {
            sql.append("k").append(k).append(", ");
        }
        return sql.append("lsn, tkey, i) WHERE NOT EXISTS (SELECT 1 FROM ").append(target).append(" t WHERE ")
            .append(keyMatch(keys, "k")).append(") AND NOT EXISTS (SELECT 1 FROM ").append(TOMBSTONES)
            .append(" ts WHERE ts.target_table = ? AND ts.key = v.tkey AND ts.lsn >= v.lsn)").toString();
    }
}
