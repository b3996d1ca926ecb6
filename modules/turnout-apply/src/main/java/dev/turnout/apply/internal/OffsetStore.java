package dev.turnout.apply.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

import org.apache.kafka.common.TopicPartition;

import dev.turnout.apply.TurnoutTables;

/**
 * The applier's consumed offsets in {@code turnout_offsets}: the next offset to read per group and partition, written
 * in the transaction that writes the rows. Advancing is fenced: it succeeds only if the stored offset is still the one
 * this applier last read or wrote, so when two appliers briefly own one partition (a rebalance during a slow batch),
 * only one of them commits each range. Stateless; borrows connections.
 */
public final class OffsetStore {

    private static final String READ = "SELECT topic, partition, next_offset FROM " + TurnoutTables.OFFSETS
        + " WHERE group_id = ? AND topic = ANY(?)";
    private static final String INSERT = "INSERT INTO " + TurnoutTables.OFFSETS
        + " (group_id, topic, partition, next_offset, updated_at) VALUES (?, ?, ?, ?, now()) ON CONFLICT DO NOTHING";
    private static final String UPDATE = "UPDATE " + TurnoutTables.OFFSETS + " SET next_offset = ?, updated_at = now() "
        + "WHERE group_id = ? AND topic = ? AND partition = ? AND next_offset = ?";

    private final String group;

    public OffsetStore(String group) {
        this.group = group;
    }

    /** The stored next offsets of the given partitions; a partition never written is absent. */
    public Map<TopicPartition, Long> read(Connection connection, Collection<TopicPartition> partitions)
        throws SQLException {
        Map<TopicPartition, Long> out = new HashMap<>();
        if (partitions.isEmpty()) {
            return out;
        }
        try (PreparedStatement s = connection.prepareStatement(READ)) {
            s.setString(1, group);
            s.setArray(2, connection.createArrayOf("text",
                partitions.stream().map(TopicPartition::topic).distinct().toArray()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    TopicPartition tp = new TopicPartition(r.getString(1), r.getInt(2));
                    if (partitions.contains(tp)) {
                        out.put(tp, r.getLong(3));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Sets the partition's next offset to {@code next} if it is still {@code expected} (absent: never written). Run it
     * first in the batch's transaction: it locks the offset row, so a competing applier waits, then finds it moved.
     *
     * @return false when another applier moved it: this one no longer owns the partition's range
     */
    public boolean advance(Connection connection, TopicPartition tp, OptionalLong expected, long next)
        throws SQLException {
        if (expected.isEmpty()) {
            try (PreparedStatement s = connection.prepareStatement(INSERT)) {
                s.setString(1, group);
                s.setString(2, tp.topic());
                s.setInt(3, tp.partition());
                s.setLong(4, next);
                return s.executeUpdate() == 1;
            }
        }
        try (PreparedStatement s = connection.prepareStatement(UPDATE)) {
            s.setLong(1, next);
            s.setString(2, group);
            s.setString(3, tp.topic());
            s.setInt(4, tp.partition());
            s.setLong(5, expected.getAsLong());
            return s.executeUpdate() == 1;
        }
    }
}
