package dev.turnout.apply.internal;

import java.util.Set;
import java.util.regex.Pattern;

import dev.turnout.core.config.TableId;

/** Writing identifiers into SQL text. Stateless. */
public final class Sql {

    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");

    /** PostgreSQL's reserved key words, which a column may only be named by quoting. */
    private static final Set<String> RESERVED = Set.of("all", "analyse", "analyze", "and", "any", "array", "as", "asc",
        "asymmetric", "authorization", "binary", "both", "case", "cast", "check", "collate", "collation", "column",
        "concurrently", "constraint", "create", "cross", "current_catalog", "current_date", "current_role",
        "current_schema", "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc",
        "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign", "freeze", "from", "full", "grant",
        "group", "having", "ilike", "in", "initially", "inner", "intersect", "into", "is", "isnull", "join", "lateral",
        "leading", "left", "like", "limit", "localtime", "localtimestamp", "natural", "not", "notnull", "null", "offset",
        "on", "only", "or", "order", "outer", "overlaps", "placing", "primary", "references", "returning", "right",
        "select", "session_user", "similar", "some", "symmetric", "system_user", "table", "tablesample", "then", "to",
        "trailing", "true", "union", "unique", "user", "using", "variadic", "verbose", "when", "where", "window",
        "with");

    private Sql() {
    }

    /** An identifier, always quoted: for statements Turnout runs and nobody reads. */
    public static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** A table, always quoted. */
    public static String quoted(TableId table) {
        return quoted(table.schema()) + "." + quoted(table.table());
    }

    /** An identifier quoted only when it must be: for DDL that operators read. */
    public static String readable(String identifier) {
        return PLAIN.matcher(identifier).matches() && !RESERVED.contains(identifier) ? identifier : quoted(identifier);
    }

    /** A table quoted only where it must be. */
    public static String readable(TableId table) {
        return readable(table.schema()) + "." + readable(table.table());
    }
}
