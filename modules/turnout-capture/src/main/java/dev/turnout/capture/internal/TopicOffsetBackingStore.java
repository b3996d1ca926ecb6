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
        offsets.putAll(topic.readCommitted());
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
