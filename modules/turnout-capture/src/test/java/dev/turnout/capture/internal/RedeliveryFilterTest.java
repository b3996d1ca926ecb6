package dev.turnout.capture.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * The filter against record sequences shaped as Debezium's PostgreSQL connector delivers them (BEGIN marker sharing
 * the first change's offset, delete followed by its tombstone at the same LSN, COMMIT marker carrying the commit LSN).
 */
class RedeliveryFilterTest {

    private static final String HEARTBEAT = "__debezium-heartbeat.p";
    private static final Map<String, ?> PARTITION = Map.of("server", "p");

    /** Transaction 20: BEGIN and a delete at 100, its tombstone at 100, an update at 150, COMMIT at 400. */
    private static final List<SourceRecord> TX20 = List.of(record(20, 100, "DELETE", 0), record(20, 100, "DELETE", 0),
        record(20, 100, "DELETE", 0), record(20, 150, "UPDATE", 0), record(20, 400, "COMMIT", 400));
    /** Transaction 21 wrote at 90, before 20's changes, and committed after it, at 500. */
    private static final List<SourceRecord> TX21 = List.of(record(21, 90, "INSERT", 0), record(21, 90, "INSERT", 0),
        record(21, 500, "COMMIT", 500));

    @Test
    void dropsTheReplayUpToTheStoredRecordWhenItsTransactionWasOnlyPartlyWritten() {
        // Kafka holds 20 up to the delete (BEGIN, delete): the tombstone at the same LSN is not written yet. Streaming
        // resumes at LSN 100: 20 comes again in full, then 21, which is new.
        WriterPosition stored = new WriterPosition(20, 100, 2, false, 0);

        assertThat(replay(stored, concat(TX20, TX21))).containsExactly(true, true, false, false, false, false, false,
            false);
    }

    @Test
    void dropsTransactionsThatCommittedBeforeThePartlyWrittenOne() {
        // 18 wrote at 95 and committed at 120, after 20's first change (100) and before 20's commit: Kafka has it whole.
        List<SourceRecord> tx18 = List.of(record(18, 95, "INSERT", 0), record(18, 95, "INSERT", 0),
            record(18, 120, "COMMIT", 120));
        WriterPosition stored = new WriterPosition(20, 150, 1, false, 0);

        assertThat(replay(stored, concat(tx18, TX20, TX21))).containsExactly(true, true, true, true, true, true, true,
            false, false, false, false);
    }

    @Test
    void keepsEverythingAfterACompleteTransaction() {
        // The stored COMMIT marker's LSN is the end of the commit record: streaming resumes there, after it.
        WriterPosition stored = new WriterPosition(20, 400, 1, true, 400);

        assertThat(replay(stored, TX21)).containsOnly(false);
    }

    @Test
    void neverDropsHeartbeatsOrSnapshotReads() {
        WriterPosition stored = new WriterPosition(20, 150, 1, false, 0);
        Map<String, Object> snapshotOffset = new HashMap<>(offset(20, 100, "READ", 0));
        snapshotOffset.put("snapshot", true);
        List<SourceRecord> records = List.of(new SourceRecord(PARTITION, offset(20, 100, "DELETE", 0), HEARTBEAT, null,
            null), new SourceRecord(PARTITION, snapshotOffset, "p.public.t", null, null));

        assertThat(replay(stored, records)).containsOnly(false);
    }

    @Test
    void keepsEverythingWithoutAStoredPosition() {
        assertThat(replay(null, TX20)).containsOnly(false);
    }

    @Test
    void positionsCountRecordsThatShareAnLsn() {
        RecordPositions positions = new RecordPositions(HEARTBEAT::equals);

        assertThat(TX20.stream().map(positions::next).toList()).containsExactly(
            new WriterPosition(20, 100, 1, false, 0), new WriterPosition(20, 100, 2, false, 0),
            new WriterPosition(20, 100, 3, false, 0), new WriterPosition(20, 150, 1, false, 0),
            new WriterPosition(20, 400, 1, true, 400));
    }

    @Test
    void positionsSurviveTheirStorageFormat() {
        WriterPosition p = new WriterPosition(20, 100, 3, true, 400);
        OffsetCodec codec = new OffsetCodec("turnout-capture-position");

        assertThat(WriterPosition.fromMap(codec.offset(codec.value(p.toMap())))).isEqualTo(p);
    }

    private static List<Boolean> replay(WriterPosition stored, List<SourceRecord> records) {
        RedeliveryFilter filter = new RedeliveryFilter(stored);
        RecordPositions positions = new RecordPositions(HEARTBEAT::equals);
        return records.stream().map(r -> filter.alreadyWritten(positions.next(r))).toList();
    }

    @SafeVarargs
    private static final List<SourceRecord> concat(List<SourceRecord>... parts) {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
    }

    private static SourceRecord record(long txId, long lsn, String type, long commitLsn) {
        return new SourceRecord(PARTITION, offset(txId, lsn, type, commitLsn), "p.public.t", null, null);
    }

    private static Map<String, Object> offset(long txId, long lsn, String type, long commitLsn) {
        Map<String, Object> o = new HashMap<>();
        o.put("txId", txId);
        o.put("lsn", lsn);
        o.put("lsn_proc", lsn);
        o.put("messageType", type);
        // Changes carry whatever commit LSN the engine last saw; only the COMMIT marker carries its own.
        o.put("lsn_commit", "COMMIT".equals(type) ? commitLsn : 42L);
        return o;
    }
}
