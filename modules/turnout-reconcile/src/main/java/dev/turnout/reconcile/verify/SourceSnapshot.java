package dev.turnout.reconcile.verify;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A read-only REPEATABLE READ transaction on the source and the WAL position it was taken at: every source query of a
 * comparison round runs in it, so the whole round sees the source as of one position. The position is read by the
 * transaction's first statement, which also takes its snapshot; a transaction whose commit record lies just below the
 * position may still be invisible to the snapshot, which the verifier's re-check of differing keys absorbs.
 */
final class SourceSnapshot implements AutoCloseable {

    private final Connection connection;
    private final long lsn;
    private final String lsnText;

    private SourceSnapshot(Connection connection, long lsn, String lsnText) {
        this.connection = connection;
        this.lsn = lsn;
        this.lsnText = lsnText;
    }

    static SourceSnapshot open(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        connection.setReadOnly(true);
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT pg_current_wal_lsn()::text, "
                 + "(pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint")) {
            r.next();
            return new SourceSnapshot(connection, r.getLong(2), r.getString(1));
        }
    }

    Connection connection() {
        return connection;
    }

    /** The position, as a number (the form of {@code SourcePosition.lsn} and the guard column). */
    long lsn() {
        return lsn;
    }

    /** The position as PostgreSQL prints it. */
    String lsnText() {
        return lsnText;
    }

    /** Ends the transaction; the connection stays open for the next round. */
    @Override
    public void close() throws SQLException {
        connection.rollback();
        connection.setReadOnly(false);
        connection.setAutoCommit(true);
    }
}
