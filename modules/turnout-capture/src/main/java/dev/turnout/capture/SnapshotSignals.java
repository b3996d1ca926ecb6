package dev.turnout.capture;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import dev.turnout.core.TopicNames;
import dev.turnout.core.config.TableId;

/**
 * Asks a running capture for an incremental snapshot of one table through Debezium's source signal channel: a row in
 * the pipeline's signal table, which capture reads from the WAL like any change. The snapshot runs in chunks,
 * interleaved with streaming, without locking the table.
 */
public final class SnapshotSignals {

    private SnapshotSignals() {
    }

    /** Inserts the signal and returns its id. */
    public static String requestIncrementalSnapshot(CaptureSettings settings, TableId table) throws SQLException {
        if (!settings.tables().contains(table)) {
            throw new IllegalArgumentException("table " + table + " is not captured by pipeline " + settings.pipeline()
                + " (source.tables: " + settings.tables() + ")");
        }
        String id = UUID.randomUUID().toString();
        TableId signals = TopicNames.signalTable(settings.pipeline());
        try (Connection c = DriverManager.getConnection(settings.sourceJdbcUrl(), settings.user(),
            settings.password().reveal());
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + signals + " (id, type, data) VALUES (?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, "execute-snapshot");
            ps.setString(3, "{\"data-collections\": [\"" + table + "\"], \"type\": \"incremental\"}");
            ps.executeUpdate();
        }
        return id;
    }
}
