package dev.turnout.capture.internal;

import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.connect.source.SourceRecord;

/**
 * Gives each streamed change record its {@link WriterPosition}, in the order the engine delivers records. Heartbeats
 * and snapshot reads have none: heartbeats carry no change and may be written twice harmlessly, and an interrupted
 * snapshot is redone by Debezium from its start. Not thread-safe; the engine delivers batches one at a time.
 */
final class RecordPositions {

    private final Predicate<String> heartbeatTopic;
    private long txId = Long.MIN_VALUE;
    private long lsn = Long.MIN_VALUE;
    private int ordinal;

    RecordPositions(Predicate<String> heartbeatTopic) {
        this.heartbeatTopic = heartbeatTopic;
    }

    /** The next record's position, or null for a record that has none. */
    WriterPosition next(SourceRecord record) {
        Map<String, ?> offset = record.sourceOffset();
        if (offset == null || heartbeatTopic.test(record.topic()) || isSnapshot(offset)) {
            return null;
        }
        Long tx = longOf(offset.get("txId"));
        Long at = longOf(offset.get("lsn"));
        if (tx == null || at == null) {
            return null;
        }
        if (tx == txId && at == lsn) {
            ordinal++;
        } else {
            txId = tx;
            lsn = at;
            ordinal = 1;
        }
        boolean commit = "COMMIT".equals(String.valueOf(offset.get("messageType")));
        Long commitLsn = longOf(offset.get("lsn_commit"));
        return new WriterPosition(tx, at, ordinal, commit, commit && commitLsn != null ? commitLsn : 0L);
    }

    private static boolean isSnapshot(Map<String, ?> offset) {
        Object snapshot = offset.get("snapshot");
        return snapshot != null && !"false".equals(String.valueOf(snapshot));
    }

    private static Long longOf(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s && !s.isEmpty()) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
