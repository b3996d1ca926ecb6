package dev.turnout.capture.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;

/**
 * Encodes a source offset exactly as the engine's {@code OffsetStorageWriter} does (JSON, schemas off, key
 * {@code [engineName, sourcePartition]}), so that offsets written in capture transactions are the ones the engine reads
 * back through {@link TopicOffsetBackingStore}.
 */
final class OffsetCodec {

    private final String engineName;
    private final JsonConverter keys = new JsonConverter();
    private final JsonConverter values = new JsonConverter();

    OffsetCodec(String engineName) {
        this.engineName = engineName;
        keys.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), true);
        values.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), false);
    }

    byte[] key(Map<String, ?> sourcePartition) {
        return keys.fromConnectData(engineName, null, Arrays.asList(engineName, sourcePartition));
    }

    byte[] value(Map<String, ?> sourceOffset) {
        return values.fromConnectData(engineName, null, sourceOffset);
    }

    /** The source partition of a key this codec wrote for this engine, or null for another engine's key. */
    Map<String, ?> partition(byte[] key) {
        Object decoded = keys.toConnectData(engineName, key).value();
        if (decoded instanceof List<?> parts && parts.size() == 2 && engineName.equals(parts.get(0))
            && parts.get(1) instanceof Map<?, ?> partition) {
            @SuppressWarnings("unchecked")
            Map<String, ?> typed = (Map<String, ?>) partition;
            return typed;
        }
        return null;
    }

    Map<String, ?> offset(byte[] value) {
        Object decoded = values.toConnectData(engineName, value).value();
        if (decoded instanceof Map<?, ?> offset) {
            @SuppressWarnings("unchecked")
            Map<String, ?> typed = (Map<String, ?>) offset;
            return typed;
        }
        return null;
    }
}
