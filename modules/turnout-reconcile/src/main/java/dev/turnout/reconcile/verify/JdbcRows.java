package dev.turnout.reconcile.verify;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.turnout.transform.SourceColumn;
import dev.turnout.transform.SourceSchema;

/**
 * Reads rows through JDBC in the forms a {@link dev.turnout.transform.TableMapping} accepts, the same on both sides, so
 * that rows read from the source and from the target go through the same decoding as change events do: dates and times
 * as {@code java.time} values, intervals as microseconds ({@code EXTRACT(EPOCH ...)}: a month is 30 days, a year 365.25),
 * {@code money} as numeric, arrays as lists, JSON and other text-like types as text. Stateless.
 */
final class JdbcRows {

    private JdbcRows() {
    }

    /** The select-list item reading {@code column} in the form {@link #read} expects. */
    static String select(SourceColumn column) {
        String id = Sql.id(column.name());
        return switch (column.type()) {
            case "interval" -> "(EXTRACT(EPOCH FROM " + id + ") * 1000000)::bigint AS " + id;
            case "money" -> id + "::numeric AS " + id;
            default -> id;
        };
    }

    /** The select list of every column of {@code schema}, in table order. */
    static String selectAll(SourceSchema schema) {
        return Sql.list(schema.columns().stream().map(JdbcRows::select).toList());
    }

    /** The row at the result set's cursor, whose first columns are {@code schema}'s, selected by {@link #select}. */
    static Map<String, Object> read(ResultSet r, SourceSchema schema) throws SQLException {
        Map<String, Object> row = new HashMap<>();
        int i = 1;
        for (SourceColumn c : schema.columns()) {
            row.put(c.name(), value(r, i++, c.type()));
        }
        return row;
    }

    private static Object value(ResultSet r, int i, String type) throws SQLException {
        if (type.startsWith("_")) {
            Array array = r.getArray(i);
            if (array == null) {
                return null;
            }
            List<Object> out = new ArrayList<>();
            for (Object element : (Object[]) array.getArray()) {
                out.add(element(element));
            }
            return out;
        }
        Object value = switch (type) {
            case "date" -> r.getObject(i, LocalDate.class);
            case "timestamp" -> r.getObject(i, LocalDateTime.class);
            case "timestamptz" -> r.getObject(i, OffsetDateTime.class);
            case "time" -> r.getObject(i, LocalTime.class);
            case "interval", "int8" -> r.getObject(i) == null ? null : r.getLong(i);
            case "bytea" -> r.getBytes(i);
            case "int2", "int4", "oid", "float4", "float8", "numeric", "money", "bool", "uuid", "text", "varchar",
                 "bpchar", "name", "citext" -> r.getObject(i);
            default -> r.getString(i);
        };
        return r.wasNull() ? null : value;
    }

    private static Object element(Object element) {
        if (element instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime();
        }
        if (element instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (element instanceof java.sql.Time t) {
            return t.toLocalTime();
        }
        if (element instanceof org.postgresql.util.PGobject o) {
            return o.getValue();
        }
        return element;
    }
}
