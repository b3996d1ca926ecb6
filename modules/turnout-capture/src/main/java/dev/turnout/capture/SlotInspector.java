package dev.turnout.capture;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

/**
 * Reads a replication slot's state from {@code pg_replication_slots}. Opens a short connection per call, so it keeps no
 * session on the source between checks.
 */
public final class SlotInspector {

    /**
     * A slot's state.
     *
     * @param active            whether a walsender holds it
     * @param walStatus         {@code reserved}, {@code extended}, {@code unreserved} or {@code lost}
     * @param retainedWalBytes  {@code pg_current_wal_lsn() - restart_lsn}
     * @param confirmedFlushLsn the position the slot has confirmed, as PostgreSQL prints it
     */
    public record SlotState(String name, boolean active, String walStatus, long retainedWalBytes,
                            String confirmedFlushLsn) {

        public boolean lost() {
            return "lost".equals(walStatus);
        }
    }

    private final String jdbcUrl;
    private final Properties credentials;

    public SlotInspector(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.credentials = new Properties();
        credentials.setProperty("user", user);
        credentials.setProperty("password", password == null ? "" : password);
        credentials.setProperty("connectTimeout", "10");
        credentials.setProperty("ApplicationName", "turnout-slot-monitor");
    }

    public Optional<SlotState> slot(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, credentials);
             PreparedStatement ps = c.prepareStatement("""
                 SELECT active, wal_status,
                        COALESCE(pg_current_wal_lsn() - restart_lsn, 0)::bigint AS retained,
                        confirmed_flush_lsn::text
                   FROM pg_replication_slots WHERE slot_name = ?""")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new SlotState(name, rs.getBoolean(1), rs.getString(2), rs.getLong(3), rs.getString(4)));
            }
        }
    }

    /** Drops the slot; fails if a walsender still holds it. */
    public void drop(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, credentials);
             PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
            ps.setString(1, name);
            ps.execute();
        }
    }

    /** The server's {@code wal_level}. */
    public String walLevel() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, credentials);
             ResultSet rs = c.createStatement().executeQuery("SHOW wal_level")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
