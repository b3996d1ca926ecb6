package dev.turnout.app.cli;

import dev.turnout.core.config.TurnoutConfig;
import dev.turnout.core.registry.embedded.EmbeddedSchemaRegistry;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The schema registry a pipeline process uses: the config's external registry, or Turnout's embedded registry started
 * in this process on the pipeline's Kafka (every process of a pipeline runs its own; they agree on ids through the
 * shared schemas topic).
 */
final class SchemaRegistryEndpoint implements AutoCloseable {

    private final String url;
    private final EmbeddedSchemaRegistry embedded;

    private SchemaRegistryEndpoint(String url, EmbeddedSchemaRegistry embedded) {
        this.url = url;
        this.embedded = embedded;
    }

    /** The config's registry, or an embedded one publishing its meters to {@code meters} (none when null). */
    /** For one-shot verbs, which publish no metrics. */
    static SchemaRegistryEndpoint forConfig(TurnoutConfig config) {
        return forConfig(config, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    static SchemaRegistryEndpoint forConfig(TurnoutConfig config, MeterRegistry meters) {
        if (config.schemaRegistry().isPresent()) {
            return new SchemaRegistryEndpoint(config.schemaRegistry().get().url(), null);
        }
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(
            EmbeddedSchemaRegistry.Settings.of(config.kafka().bootstrap())
                .withKafkaProperties(java.util.Map.copyOf(config.kafka().properties())), meters);
        return new SchemaRegistryEndpoint(registry.url(), registry);
    }

    String url() {
        return url;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
