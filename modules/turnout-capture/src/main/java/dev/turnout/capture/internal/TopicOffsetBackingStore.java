package dev.turnout.capture.internal;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.OffsetBackingStore;
import org.apache.kafka.connect.util.Callback;

/**
 * Debezium's offset store for Turnout's capture: reads the capture-offsets topic with {@code read_committed} at start,
 * and nothing more. Offsets are written by {@link TransactionalChangeWriter} in the same Kafka transaction as the
 * changes they follow; by the time the engine "flushes" offsets here, they are already durable, so {@link #set} only
 * updates the in-memory view. That flush is also when the Postgres task confirms the LSN to the slot — after the commit.
 *
 * <p>Instantiated by the engine through its no-argument constructor ({@code offset.storage}). Thread-safe.
 */
public final class TopicOffsetBackingStore implements OffsetBackingStore {

    /** Debezium's Postgres offset key of the last completely processed LSN. */
    static final String LAST_COMPLETELY_PROCESSED_LSN = "lsn_proc";

    private final Map<ByteBuffer, ByteBuffer> offsets = new ConcurrentHashMap<>();
    private CaptureOffsetsTopic topic;

    @Override
    public void configure(WorkerConfig config) {
        Map<String, String> originals = config.originalsStrings();
        Map<String, Object> client = new HashMap<>();
        originals.forEach((k, v) -> {
            if (k.startsWith(TopicOffsetProperties.CLIENT_PREFIX)) {
                client.put(k.substring(TopicOffsetProperties.CLIENT_PREFIX.length()), v);
            }
        });
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, required(originals, TopicOffsetProperties.BOOTSTRAP));
        topic = new CaptureOffsetsTopic(required(originals, TopicOffsetProperties.TOPIC), client);
    }

    private static String required(Map<String, String> originals, String key) {
        String value = originals.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("TopicOffsetBackingStore needs the engine property " + key);
        }
        return value;
    }

    @Override
    public void start() {
        topic.ensureExists();
        Map<ByteBuffer, ByteBuffer> stored = topic.readCommitted();
        WriterPosition last = WriterPosition.find(stored);
        JsonConverter values = new JsonConverter();
        values.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), false);
        stored.forEach((key, value) -> {
            if (value != null) {
                offsets.put(key, resumeAt(values, value, last));
            }
        });
    }

    /**
     * The offset Debezium's Postgres task resumes from, made to resume exactly where the writer's last record was.
     *
     * <ul>
     *   <li>Without {@code lsn_proc}: with it the task searches the re-sent stream for the stored change LSN and skips
     *       what precedes it. Change LSNs do not order interleaved transactions, so that search can skip changes
     *       Kafka never got, and it would skip again what {@link RedeliveryFilter} skips.</li>
     *   <li>Without the transaction context ({@code transaction_*}): a restored context makes the task leave out the
     *       BEGIN marker of the transaction it resumes in, so re-sent records would not repeat the original ones.</li>
     *   <li>{@code lsn} at the last written record: streaming resumes with the transactions that commit after it
     *       (after the end of its commit record, when it is a COMMIT marker).</li>
     * </ul>
     */
    static ByteBuffer resumeAt(JsonConverter values, ByteBuffer value, WriterPosition last) {
        Object decoded = values.toConnectData("", value.array()).value();
        if (!(decoded instanceof Map<?, ?> offset) || offset.containsKey("snapshot")
            || !offset.containsKey(LAST_COMPLETELY_PROCESSED_LSN)) {
            // Another key (the writer's position), or a snapshot's offset, which Debezium handles itself.
            return value;
        }
        Map<Object, Object> resume = new HashMap<>();
        offset.forEach((k, v) -> {
            if (!LAST_COMPLETELY_PROCESSED_LSN.equals(k) && !String.valueOf(k).startsWith("transaction_")) {
                resume.put(k, v);
            }
        });
        if (last != null) {
            resume.put("lsn", last.lsn());
        }
        return ByteBuffer.wrap(values.fromConnectData("", null, resume));
    }

    @Override
    public void stop() {
        // Holds no clients between start and stop.
    }

    @Override
    public Future<Map<ByteBuffer, ByteBuffer>> get(Collection<ByteBuffer> keys) {
        Map<ByteBuffer, ByteBuffer> result = new HashMap<>();
        for (ByteBuffer key : keys) {
            result.put(key, offsets.get(key));
        }
        return CompletableFuture.completedFuture(result);
    }

    @Override
    public Future<Void> set(Map<ByteBuffer, ByteBuffer> values, Callback<Void> callback) {
        offsets.putAll(values);
        if (callback != null) {
            callback.onCompletion(null, null);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), true);
        Set<Map<String, Object>> partitions = new HashSet<>();
        for (ByteBuffer key : offsets.keySet()) {
            Object decoded = converter.toConnectData("", key.array()).value();
            if (decoded instanceof List<?> parts && parts.size() == 2 && connectorName.equals(parts.get(0))
                && parts.get(1) instanceof Map<?, ?> partition) {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) partition;
                partitions.add(typed);
            }
        }
        return partitions;
    }
}
