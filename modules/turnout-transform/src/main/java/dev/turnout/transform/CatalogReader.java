package dev.turnout.transform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import dev.turnout.core.config.TableId;
import dev.turnout.core.config.Suggestions;

/**
 * Reads table schemas from a PostgreSQL catalog: columns from {@code information_schema.columns} (so only what the
 * user may see), the primary key from {@code pg_index}. Borrows the connection, which the caller owns and closes; not
 * thread-safe, as JDBC connections are not.
 */
public final class CatalogReader implements SourceCatalog {

    private static final String COLUMNS = """
        SELECT column_name, udt_name, is_nullable, datetime_precision, character_maximum_length, numeric_precision,
               numeric_scale
        FROM information_schema.columns
        WHERE table_schema = ? AND table_name = ?
        ORDER BY ordinal_position""";

    private static final String PRIMARY_KEY = """
        SELECT a.attname, k.position
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indisprimary AND n.nspname = ? AND c.relname = ?""";

    private static final String TABLES = """
        SELECT table_schema, table_name
        FROM information_schema.tables
        WHERE table_schema NOT IN ('pg_catalog', 'information_schema')""";

    /** Types whose {@code datetime_precision} decides how Debezium encodes them. */
    private static final List<String> TIME_TYPES = List.of("timestamp", "timestamptz", "time", "timetz");

    /** Types whose {@code character_maximum_length} is their declared length. */
    private static final List<String> SIZED_TYPES = List.of("varchar", "bpchar", "bit", "varbit");

    private final Connection connection;

    public CatalogReader(Connection connection) {
        this.connection = connection;
    }

    /**
     * The table's columns in ordinal order with their primary-key positions.
     *
     * @throws UnknownTableException if there is no such table or the user cannot see it; the message suggests a near
     *                               name among the tables the user can see
     * @throws CatalogException      if the catalog cannot be read
     */
    @Override
    public SourceSchema schema(TableId table) {
        try {
            Map<String, Integer> key = primaryKey(table);
            List<SourceColumn> columns = new ArrayList<>();
            try (PreparedStatement s = connection.prepareStatement(COLUMNS)) {
                s.setString(1, table.schema());
                s.setString(2, table.table());
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        String name = r.getString(1);
                        String type = r.getString(2);
                        int precision = r.getInt(4);
                        boolean hasPrecision = !r.wasNull() && TIME_TYPES.contains(type);
                        Integer position = key.get(name);
                        columns.add(new SourceColumn(name, type,
                            hasPrecision ? OptionalInt.of(precision) : OptionalInt.empty(),
                            "YES".equals(r.getString(3)),
                            position == null ? OptionalInt.empty() : OptionalInt.of(position), modifiers(type, r)));
                    }
                }
            }
            if (columns.isEmpty()) {
                throw new UnknownTableException(table, "table " + table + " does not exist in the source database, or "
                    + "its user may not see it" + Suggestions.didYouMean(table.toString(), visibleTables()));
            }
            return new SourceSchema(table, columns);
        } catch (SQLException e) {
            throw new CatalogException("could not read the schema of " + table + " from the source catalog: "
                + e.getMessage(), e);
        }
    }

    /** The declared length of a sized character or bit type, the precision and scale of a constrained numeric. */
    private static TypeModifiers modifiers(String type, ResultSet r) throws SQLException {
        if (SIZED_TYPES.contains(type)) {
            int length = r.getInt(5);
            return r.wasNull() ? TypeModifiers.NONE : TypeModifiers.length(length);
        }
        if (type.equals("numeric")) {
            int precision = r.getInt(6);
            if (r.wasNull()) {
                return TypeModifiers.NONE;
            }
            return TypeModifiers.numeric(precision, r.getInt(7));
        }
        return TypeModifiers.NONE;
    }

    private Map<String, Integer> primaryKey(TableId table) throws SQLException {
        Map<String, Integer> key = new HashMap<>();
        try (PreparedStatement s = connection.prepareStatement(PRIMARY_KEY)) {
            s.setString(1, table.schema());
            s.setString(2, table.table());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    key.put(r.getString(1), r.getInt(2));
                }
            }
        }
        return key;
    }

    private List<String> visibleTables() throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(TABLES); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                tables.add(r.getString(1) + "." + r.getString(2));
            }
        }
        return tables;
    }
}
