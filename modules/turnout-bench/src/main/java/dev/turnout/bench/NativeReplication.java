package dev.turnout.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import dev.turnout.testkit.Postgres;

/**
 * PostgreSQL's own logical replication of {@code public.users}: a publication on the source database and a
 * subscription on the target database of the other server, without an initial copy (the table starts empty), with
 * PostgreSQL's defaults otherwise. {@link #close()} drops the subscription, which drops its slot on the source.
 */
final class NativeReplication implements AutoCloseable {

    private final Postgres target;
    private final String targetDb;
    private final String name;

    private NativeReplication(Postgres target, String targetDb, String name) {
        this.target = target;
        this.targetDb = targetDb;
        this.name = name;
    }

    /** Creates the publication, the subscriber's table and the subscription, and waits until its worker streams. */
    static NativeReplication start(Postgres source, String sourceDb, Postgres target, String targetDb, String name)
        throws SQLException {
        try (Connection c = source.connect(sourceDb); Statement st = c.createStatement()) {
            st.execute("CREATE PUBLICATION " + name + " FOR TABLE " + UsersTable.TABLE);
        }
        target.createDatabase(targetDb);
        try (Connection c = target.connect(targetDb); Statement st = c.createStatement()) {
            UsersTable.create(c);
            st.execute("CREATE SUBSCRIPTION " + name + " CONNECTION 'host=" + source.host() + " port=" + source.port()
                + " dbname=" + sourceDb + " user=" + Postgres.USER + "' PUBLICATION " + name
                + " WITH (copy_data = false)");
        }
        NativeReplication replication = new NativeReplication(target, targetDb, name);
        replication.awaitStreaming(Duration.ofMinutes(1));
        return replication;
    }

    private void awaitStreaming(Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection c = target.connect(targetDb); Statement st = c.createStatement()) {
            while (true) {
                try (ResultSet r = st.executeQuery("SELECT count(*) FROM pg_stat_subscription WHERE subname = '" + name
                    + "' AND pid IS NOT NULL AND received_lsn IS NOT NULL")) {
                    r.next();
                    if (r.getLong(1) > 0) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Subscription " + name + " did not start streaming within " + timeout);
                }
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
        }
    }

    /** Null while the subscription's apply worker runs, else why not. */
    String whyNotRunning() {
        try (Connection c = target.connect(targetDb); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT count(*) FROM pg_stat_subscription WHERE subname = '" + name
                 + "' AND pid IS NOT NULL")) {
            r.next();
            return r.getLong(1) > 0 ? null : "subscription " + name + " has no apply worker";
        } catch (SQLException e) {
            return "cannot read pg_stat_subscription: " + e.getMessage();
        }
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = target.connect(targetDb); Statement st = c.createStatement()) {
            st.execute("DROP SUBSCRIPTION " + name);
        }
    }
}
