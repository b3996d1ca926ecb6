package dev.turnout.apply.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;

/**
 * Says why one change failed alone: which column (PostgreSQL names it for some errors; otherwise each value is tried
 * against its column's declared type), what is wrong with the value, and PostgreSQL's message. Probes run under
 * savepoints in the caller's transaction. Immutable.
 */
final class PoisonDiagnosis {

    private final TargetTable table;

    PoisonDiagnosis(TargetTable table) {
        this.table = table;
    }

    /**
     * Why a change is poison, in one line: the table, the column when PostgreSQL names it or a probe finds it, what is
     * wrong with the value, and PostgreSQL's message (for the dead-letter header only: it may quote the value). Probes
     * run under savepoints in the caller's transaction.
     */
    Poison diagnose(Connection connection, Change change, SQLException error) throws SQLException {
        String column = SqlErrors.column(error);
        if (column == null && error.getSQLState() != null && error.getSQLState().startsWith("22")) {
            column = probe(connection, change);
        }
        StringBuilder summary = new StringBuilder(table.table().toString());
        if (column != null) {
            summary.append(", column ").append(column);
            table.column(column).ifPresent(c -> summary.append(" (").append(c.declaredType()).append(")"));
        }
        summary.append(": ").append(SqlErrors.problem(error));
        String state = " [SQLSTATE " + error.getSQLState() + "]";
        return new Poison(change.record(), table.table(),
            summary + "; PostgreSQL: " + SqlErrors.message(error) + state, summary + state,
            error.getClass().getName());
    }

    /** The first column whose value its declared type rejects alone: too long, or not castable to it. */
    private String probe(Connection connection, Change change) throws SQLException {
        List<String> columns = change.upsert() ? change.columns() : change.keyColumns();
        List<String> values = change.upsert() ? change.values() : change.keyValues();
        for (int i = 0; i < columns.size(); i++) {
            String text = values.get(i);
            TargetColumnInfo info = table.column(columns.get(i)).orElse(null);
            if (text == null || info == null) {
                continue;
            }
            if (tooLong(text, info)) {
                return info.name();
            }
            Savepoint probe = connection.setSavepoint();
            try (PreparedStatement s = connection.prepareStatement("SELECT CAST(? AS " + info.declaredType() + ")")) {
                s.setString(1, text);
                s.executeQuery().close();
                connection.releaseSavepoint(probe);
            } catch (SQLException rejected) {
                if (!SqlErrors.isBadValue(rejected)) {
                    rollbackQuietly(connection, probe, rejected);
                    throw rejected;
                }
                connection.rollback(probe);
                return info.name();
            }
        }
        return null;
    }

    /** Longer than {@code varchar(n)} or {@code char(n)} allows; excess spaces alone are truncated, as PostgreSQL does. */
    private static boolean tooLong(String text, TargetColumnInfo info) {
        if (info.maxLength().isEmpty() || text.codePointCount(0, text.length()) <= info.maxLength().getAsInt()) {
            return false;
        }
        String excess = text.substring(text.offsetByCodePoints(0, info.maxLength().getAsInt()));
        return !excess.chars().allMatch(ch -> ch == ' ');
    }

    private static void rollbackQuietly(Connection connection, Savepoint savepoint, SQLException cause) {
        try {
            connection.rollback(savepoint);
        } catch (SQLException again) {
            cause.addSuppressed(again);
        }
    }
}
