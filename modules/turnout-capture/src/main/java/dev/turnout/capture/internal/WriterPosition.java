package dev.turnout.capture.internal;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last change record capture committed to Kafka, identified so that the same record can be recognised when the slot
 * sends its transaction again: the source transaction, the record's LSN and its ordinal among the records of that
 * transaction at that LSN (a BEGIN marker, a delete and its tombstone share one LSN). Stored in the capture-offsets
 * topic, in the same Kafka transaction as the records.
 *
 * @param txId      source transaction id
 * @param lsn       the record's LSN as Debezium's offset gives it
 * @param ordinal   1-based position among this transaction's records at {@code lsn}
 * @param complete  whether the record is the transaction's COMMIT marker, that is the whole transaction is in Kafka
 * @param commitLsn the transaction's commit LSN when {@code complete}, else 0
 */
record WriterPosition(long txId, long lsn, int ordinal, boolean complete, long commitLsn) {

    /** Key name of the position in the capture-offsets topic; no engine's offsets use it. */
    static final String KEY_NAME = "turnout-capture-position";
    private static final OffsetCodec CODEC = new OffsetCodec(KEY_NAME);

    /** The key under which {@code engineName}'s writer stores its position. */
    static byte[] key(String engineName) {
        return CODEC.key(Map.of("engine", engineName));
    }

    byte[] value() {
        return CODEC.value(toMap());
    }

    /** The writer's position among the capture-offsets topic's records, or null if none was written yet. */
    static WriterPosition find(Map<ByteBuffer, ByteBuffer> stored) {
        for (Map.Entry<ByteBuffer, ByteBuffer> e : stored.entrySet()) {
            if (e.getValue() != null && CODEC.partition(e.getKey().array()) != null) {
                Map<String, ?> position = CODEC.offset(e.getValue().array());
                return position == null ? null : fromMap(position);
            }
        }
        return null;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("txId", txId);
        m.put("lsn", lsn);
        m.put("ordinal", ordinal);
        m.put("complete", complete);
        m.put("commitLsn", commitLsn);
        return m;
    }

    static WriterPosition fromMap(Map<String, ?> m) {
        return new WriterPosition(((Number) m.get("txId")).longValue(), ((Number) m.get("lsn")).longValue(),
            ((Number) m.get("ordinal")).intValue(), Boolean.TRUE.equals(m.get("complete")),
            ((Number) m.get("commitLsn")).longValue());
    }

    /** Whether {@code other}, a record of the same transaction, comes after this one. */
    boolean isBefore(WriterPosition other) {
        return lsn < other.lsn || (lsn == other.lsn && ordinal < other.ordinal);
    }
}
