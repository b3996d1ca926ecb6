package dev.turnout.apply.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.apply.TurnoutTables;
import dev.turnout.core.config.TableId;

/**
 * Removes the tombstones of this pipeline's target tables that are older than the retention: past it, a deleted key
 * no longer refuses a late, older upsert. Run periodically by the applier; a failure is logged and tried again next
 * time. Thread-safe.
 */
public final class TombstoneCleaner implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(TombstoneCleaner.class);
    private static final String DELETE = "DELETE FROM " + TurnoutTables.TOMBSTONES
        + " WHERE target_table = ANY(?) AND deleted_at < now() - ? * interval '1 millisecond'";

    private final DataSource target;
    private final List<TableId> tables;
    private final Duration retention;

    public TombstoneCleaner(DataSource target, List<TableId> tables, Duration retention) {
        this.target = target;
        this.tables = List.copyOf(tables);
        this.retention = retention;
    }

    @Override
    public void run() {
        try {
            int removed = clean();
            if (removed > 0) {
                log.debug("Removed {} tombstone(s) older than {}", removed, retention);
            }
        } catch (SQLException e) {
            log.warn("Could not remove old tombstones from {}: {}", TurnoutTables.TOMBSTONES, SqlErrors.message(e));
        }
    }

    /** Removes the tombstones older than the retention; returns how many. */
    public int clean() throws SQLException {
        try (Connection c = target.getConnection(); PreparedStatement s = c.prepareStatement(DELETE)) {
            c.setAutoCommit(true);
            s.setArray(1, c.createArrayOf("text", tables.stream().map(TableId::toString).toArray()));
            s.setLong(2, retention.toMillis());
            return s.executeUpdate();
        }
    }
}
