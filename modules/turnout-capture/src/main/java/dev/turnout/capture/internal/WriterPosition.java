package dev.turnout.capture.internal;

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
