package dev.turnout.core.config;

import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A table named by schema and table, as PostgreSQL and Debezium name it ({@code public.users}).
 *
 * @param schema the schema name
 * @param table  the table name
 */
public record TableId(String schema, String table) implements Comparable<TableId> {

    /** An unquoted PostgreSQL identifier. */
    public static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

    public TableId {
        if (!IDENTIFIER.matcher(schema).matches() || !IDENTIFIER.matcher(table).matches()) {
            throw new IllegalArgumentException("expected schema.table, got \"" + schema + "." + table + "\"");
        }
    }

    /** Parses {@code schema.table}; throws {@link IllegalArgumentException} naming the expected form otherwise. */
    @JsonCreator
    public static TableId parse(String text) {
        int dot = text.indexOf('.');
        if (dot <= 0 || dot != text.lastIndexOf('.') || dot == text.length() - 1) {
            throw new IllegalArgumentException("expected schema.table, got \"" + text + "\"");
        }
        return new TableId(text.substring(0, dot), text.substring(dot + 1));
    }

    /** Whether {@code text} is a valid {@code schema.table}. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @JsonValue
    @Override
    public String toString() {
        return schema + "." + table;
    }

    @Override
    public int compareTo(TableId o) {
        return toString().compareTo(o.toString());
    }
}
