package dev.turnout.core.avro;

import java.util.Map;

import dev.turnout.core.registry.RestSchemaRegistryClient;
import dev.turnout.core.registry.SchemaRegistryClient;

/**
 * What the Avro serializer and deserializer share: the registry client (created from the config unless one was passed
 * in, and then owned and closed here), key or value side, subject naming and {@code use.latest.version}.
 */
abstract class AvroSerde implements AutoCloseable {

    protected SchemaRegistryClient client;
    private boolean ownsClient;
    protected boolean isKey;
    protected SubjectNameStrategy strategy;
    protected boolean useLatestVersion;

    AvroSerde(SchemaRegistryClient client) {
        this.client = client;
    }

    /** Reads the shared settings and returns the whole config for the subclass's own. */
    AvroSerdeConfig configureShared(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        if (client == null) {
            client = new RestSchemaRegistryClient(config);
            ownsClient = true;
        }
        this.isKey = isKey;
        this.strategy = config.strategy(isKey);
        this.useLatestVersion = config.getBoolean(AvroSerdeConfig.USE_LATEST_VERSION);
        return config;
    }

    void requireConfigured() {
        if (strategy == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " used before configure()");
        }
    }

    String part() {
        return isKey ? "key" : "value";
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }
}
