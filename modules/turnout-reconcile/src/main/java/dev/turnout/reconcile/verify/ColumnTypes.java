package dev.turnout.reconcile.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.turnout.core.config.TableId;

/**
 * The declared types of a table's columns as SQL can write them ({@code format_type}: {@code numeric(12,3)},
 * {@code timestamp(3) without time zone}, {@code character varying(20)}), and the collation each text column sorts by
 * (the database's own named for {@code default}, so two databases can be compared). Immutable.
 */
final class ColumnTypes {

    private static final String QUERY = """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod),
               CASE WHEN a.attcollation = 0 THEN NULL
                    WHEN co.collname = 'default' THEN 'default:' || (SELECT datcollate FROM pg_catalog.pg_database
                                                                    WHERE datname = current_database())
                    ELSE co.collname END
        FROM pg_catalog.pg_attribute a
        LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
        WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum""";

    /** One column's type and collation. */
    record Column(String type, Optional<String> collation) {
    }

    private final Map<String, Column> columns;

    private ColumnTypes(Map<String, Column> columns) {
        this.columns = columns;
    }

    static ColumnTypes read(Connection c, TableId table) throws SQLException {
        Map<String, Column> out = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(QUERY)) {
            s.setString(1, Sql.table(table));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), new Column(r.getString(2), Optional.ofNullable(r.getString(3))));
                }
            }
        }
        return new ColumnTypes(out);
    }

    /** The column's SQL type; throws if the table has no such column. */
    String type(String column) {
        Column c = columns.get(column);
        if (c == null) {
            throw new IllegalArgumentException("no column " + column);
        }
        return c.type();
    }

    Optional<String> collation(String column) {
        Column c = columns.get(column);
        return c == null ? Optional.empty() : c.collation();
    }

    boolean has(String column) {
        return columns.containsKey(column);
    }
}
