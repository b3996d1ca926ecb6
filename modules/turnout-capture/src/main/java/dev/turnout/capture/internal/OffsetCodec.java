package dev.turnout.capture.internal;

import java.util.Arrays;
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
}
