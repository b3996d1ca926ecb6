package dev.turnout.reconcile.verify;

import java.util.List;
import java.util.stream.Collectors;

import dev.turnout.core.config.TableId;

/** Quoting of identifiers and small SQL pieces. Stateless. */
final class Sql {

    private Sql() {
    }

    /** A double-quoted identifier. */
    static String id(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** A quoted {@code schema.table}. */
    static String table(TableId table) {
        return id(table.schema()) + "." + id(table.table());
    }

    /** {@code a, b, c}. */
    static String list(List<String> parts) {
        return String.join(", ", parts);
    }

    /** A row constructor of the parts, or the part alone when there is one. */
    static String tuple(List<String> parts) {
        return parts.size() == 1 ? parts.get(0) : "(" + list(parts) + ")";
    }

    /** {@code n} placeholders cast to the given types, as a tuple. */
    static String params(List<String> types) {
        return tuple(types.stream().map(t -> "CAST(? AS " + t + ")").collect(Collectors.toList()));
    }
}
