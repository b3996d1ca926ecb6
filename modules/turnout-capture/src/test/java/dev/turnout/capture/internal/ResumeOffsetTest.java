package dev.turnout.capture.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Map;

import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.junit.jupiter.api.Test;

/** The offset the engine resumes from: no search position, no transaction context, the writer's last LSN. */
class ResumeOffsetTest {

    private final JsonConverter json = json();

    @Test
    void resumesAtTheLastWrittenRecordWithoutSearchOrTransactionContext() {
        ByteBuffer stored = encode(Map.of("lsn", 500L, "lsn_proc", 500L, "lsn_commit", 480L, "txId", 7L,
            "ts_usec", 1L, "messageType", "UPDATE", "transaction_id", "7",
            "transaction_data_collection_order_public.t", 3L));

        Map<String, Object> resumed = decode(TopicOffsetBackingStore.resumeAt(json, stored,
            new WriterPosition(7, 450, 2, false, 0)));

        assertThat(resumed).containsEntry("lsn", 450L).containsEntry("lsn_commit", 480L).containsEntry("txId", 7L)
            .doesNotContainKeys("lsn_proc", "transaction_id", "transaction_data_collection_order_public.t");
    }

    @Test
    void leavesSnapshotOffsetsAndOtherRecordsAlone() {
        ByteBuffer snapshot = encode(Map.of("lsn", 500L, "lsn_proc", 500L, "snapshot", true));
        ByteBuffer position = encode(new WriterPosition(7, 450, 2, false, 0).toMap());

        assertThat(TopicOffsetBackingStore.resumeAt(json, snapshot, null)).isEqualTo(snapshot);
        assertThat(TopicOffsetBackingStore.resumeAt(json, position, null)).isEqualTo(position);
    }

    private ByteBuffer encode(Map<String, ?> offset) {
        return ByteBuffer.wrap(json.fromConnectData("", null, offset));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> decode(ByteBuffer value) {
        return (Map<String, Object>) json.toConnectData("", value.array()).value();
    }

    private static JsonConverter json() {
        JsonConverter c = new JsonConverter();
        c.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), false);
        return c;
    }
}
