package dev.turnout.apply.internal;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** What a PostgreSQL error means for the applier: a bad value, a passing outage, or a problem that stops it. */
public final class SqlErrors {

    /** Failures that pass: connections, resources, shutdowns, conflicts between transactions. */
    private static final Set<String> TRANSIENT_STATES = Set.of("57P01", "57P02", "57P03", "40001", "40P01", "55P03",
        "58000", "58030");

    private SqlErrors() {
    }

    /**
     * A value the target cannot take: data exceptions (too long, out of range, not readable as the type), integrity
     * violations (null in NOT NULL, a duplicate on another unique index, a check), a key written twice in one
     * statement, a row over a size limit. Only the records carrying such values are poison.
     */
    public static boolean isBadValue(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("21")
            || state.startsWith("54"));
    }

    /** An outage or a conflict that retrying the same work later gets past. */
    public static boolean isTransient(SQLException e) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
            return true;
        }
        String state = e.getSQLState();
        return state == null ? e.getCause() instanceof java.io.IOException
            : state.startsWith("08") || state.startsWith("53") || TRANSIENT_STATES.contains(state);
    }

    /** PostgreSQL's own message, without the "ERROR: " prefix and the position and context lines. */
    public static String message(SQLException e) {
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null
            && p.getServerErrorMessage().getMessage() != null) {
            return p.getServerErrorMessage().getMessage();
        }
        String m = String.valueOf(e.getMessage());
        int newline = m.indexOf('\n');
        return (newline < 0 ? m : m.substring(0, newline)).replaceFirst("^ERROR: ", "");
    }

    /** The column PostgreSQL names in its error, if it names one (it does for NOT NULL violations). */
    public static String column(SQLException e) {
        if (e instanceof PSQLException p) {
            ServerErrorMessage m = p.getServerErrorMessage();
            return m == null ? null : m.getColumn();
        }
        return null;
    }

    /** What is wrong with the value, in words, from the SQL state. */
    public static String problem(SQLException e) {
        String state = String.valueOf(e.getSQLState());
        return switch (state) {
            case "22001" -> "value too long for the column";
            case "22003" -> "value out of range for the column";
            case "22P02", "22007", "22008", "22023", "22P05", "22021" -> "value not readable as the column's type";
            case "22004", "23502" -> "null in a NOT NULL column";
            case "23505" -> "value duplicates another row's on a unique index";
            case "23503" -> "value has no matching row for a foreign key";
            case "23514" -> "value fails a check constraint";
            case "21000" -> "key written twice in one statement";
            default -> state.startsWith("54") ? "row exceeds a size limit" : "value rejected";
        };
    }
}
