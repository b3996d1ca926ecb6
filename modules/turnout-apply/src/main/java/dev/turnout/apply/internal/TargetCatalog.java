package dev.turnout.apply.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import dev.turnout.core.config.TableId;

/**
 * Reads target tables from the target catalog ({@code pg_catalog}, so dropped and system columns are left out). Borrows
 * the connection; stateless.
 */
public final class TargetCatalog {

    private static final String COLUMNS = """
        SELECT a.attname,
               format_type(a.atttypid, NULL),
               format_type(a.atttypid, a.atttypmod),
               format_type(CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END, NULL),
               COALESCE(bt.typcategory, t.typcategory),
               a.attnotnull,
               a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '',
               CASE WHEN COALESCE(bt.typname, t.typname) IN ('varchar', 'bpchar') AND a.atttypmod > 4
                    THEN a.atttypmod - 4 END
        FROM pg_catalog.pg_attribute a
        JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
        WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum""";

    private static final String UNIQUE_KEYS = """
        SELECT i.indisprimary, array_agg(a.attname::text ORDER BY k.position)
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL AND n.nspname = ? AND c.relname = ?
        GROUP BY i.indexrelid, i.indisprimary""";

    private TargetCatalog() {
    }

    /** The table, or empty when it does not exist (or the user cannot see it). */
    public static Optional<TargetTable> read(Connection connection, TableId table) throws SQLException {
        Map<String, TargetColumnInfo> columns = new LinkedHashMap<>();
        try (PreparedStatement s = connection.prepareStatement(COLUMNS)) {
            s.setString(1, table.schema());
            s.setString(2, table.table());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    int length = r.getInt(8);
                    OptionalInt maxLength = r.wasNull() ? OptionalInt.empty() : OptionalInt.of(length);
                    String category = r.getString(5);
                    columns.put(r.getString(1), new TargetColumnInfo(r.getString(1), r.getString(2), r.getString(3),
                        r.getString(4), category == null || category.isEmpty() ? 'X' : category.charAt(0),
                        r.getBoolean(6), r.getBoolean(7), maxLength));
                }
            }
        }
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        List<String> primaryKey = List.of();
        List<Set<String>> unique = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(UNIQUE_KEYS)) {
            s.setString(1, table.schema());
            s.setString(2, table.table());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    List<String> names = Arrays.asList((String[]) r.getArray(2).getArray());
                    unique.add(new HashSet<>(names));
                    if (r.getBoolean(1)) {
                        primaryKey = names;
                    }
                }
            }
        }
        return Optional.of(new TargetTable(table, columns, primaryKey, unique.stream().map(Set::copyOf).toList()));
    }

    /** Whether a schema exists. */
    public static boolean schemaExists(Connection connection, String schema) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
            "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
            s.setString(1, schema);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }
}
