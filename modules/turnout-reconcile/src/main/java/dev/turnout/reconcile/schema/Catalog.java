package dev.turnout.reconcile.schema;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import dev.turnout.core.config.TableId;

/**
 * Reads table shapes from a PostgreSQL catalog ({@code information_schema.columns} for what the user may see,
 * {@code format_type} for the declared type, {@code pg_index} for primary keys and unique indexes). Borrows the
 * connection.
 */
final class Catalog {

    private static final String COLUMNS = """
        SELECT c.column_name, c.udt_name, format_type(a.atttypid, a.atttypmod), c.is_nullable, c.column_default,
               c.character_maximum_length, c.numeric_precision, c.numeric_scale, c.datetime_precision, c.data_type
        FROM information_schema.columns c
        JOIN pg_catalog.pg_attribute a ON a.attrelid = to_regclass(quote_ident(c.table_schema) || '.'
             || quote_ident(c.table_name)) AND a.attname = c.column_name
        WHERE c.table_schema = ? AND c.table_name = ?
        ORDER BY c.ordinal_position""";

    private static final String UNIQUE = """
        SELECT array_agg(a.attname::text ORDER BY k.ord)
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indisunique AND i.indpred IS NULL AND n.nspname = ? AND c.relname = ?
        GROUP BY i.indexrelid""";

    private static final String TABLES = """
        SELECT table_name FROM information_schema.tables
        WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name""";

    private final Connection connection;

    Catalog(Connection connection) {
        this.connection = connection;
    }

    /** The table's shape, or empty when the catalog has no such table (or the user may not see it). */
    Optional<TableShape> table(TableId id) throws SQLException {
        Map<String, ColumnShape> columns = new LinkedHashMap<>();
        try (PreparedStatement s = connection.prepareStatement(COLUMNS)) {
            s.setString(1, id.schema());
            s.setString(2, id.table());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String udt = r.getString(2);
                    boolean character = "character varying".equals(r.getString(10))
                        || "character".equals(r.getString(10));
                    columns.put(r.getString(1), new ColumnShape(r.getString(1), udt, r.getString(3),
                        "YES".equals(r.getString(4)), Optional.ofNullable(r.getString(5)),
                        character ? optionalInt(r, 6) : OptionalInt.empty(),
                        udt.equals("numeric") ? optionalInt(r, 7) : OptionalInt.empty(),
                        udt.equals("numeric") ? optionalInt(r, 8) : OptionalInt.empty(), optionalInt(r, 9)));
                }
            }
        }
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        List<List<String>> unique = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(UNIQUE)) {
            s.setString(1, id.schema());
            s.setString(2, id.table());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Array a = r.getArray(1);
                    unique.add(Arrays.asList((String[]) a.getArray()));
                }
            }
        }
        return Optional.of(new TableShape(id, columns, unique));
    }

    /** The base tables of a schema, by name. */
    List<String> tables(String schema) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(TABLES)) {
            s.setString(1, schema);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }

    private static OptionalInt optionalInt(ResultSet r, int i) throws SQLException {
        int v = r.getInt(i);
        return r.wasNull() ? OptionalInt.empty() : OptionalInt.of(v);
    }
}
