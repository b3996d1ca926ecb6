package dev.turnout.rollout;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import dev.turnout.core.config.TurnoutConfig;

/**
 * How the rollout library reaches Kafka and the schema registry: the cluster holding {@code turnout.rollout.state} (and
 * the pipeline's topics, for the gates), its client properties (SASL, TLS), the registry URL and its client properties
 * (Confluent's names: {@code basic.auth.*}, {@code schema.registry.ssl.*}), and how long one request may take.
 * Immutable.
 */
public record RolloutSettings(String bootstrap, Map<String, Object> kafkaProperties, String schemaRegistryUrl,
                              Map<String, Object> registryProperties, Duration requestTimeout) {

    public RolloutSettings {
        Objects.requireNonNull(bootstrap, "bootstrap");
        kafkaProperties = Map.copyOf(kafkaProperties);
        Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
        registryProperties = Map.copyOf(registryProperties);
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
        }
    }

    /** Plain settings: no client properties, 30 s requests. */
    public static RolloutSettings of(String bootstrap, String schemaRegistryUrl) {
        return new RolloutSettings(bootstrap, Map.of(), schemaRegistryUrl, Map.of(), Duration.ofSeconds(30));
    }

    /** The pipeline's Kafka (with its client properties) from a config, and the registry at {@code schemaRegistryUrl}. */
    public static RolloutSettings fromConfig(TurnoutConfig config, String schemaRegistryUrl) {
        return of(config.kafka().bootstrap(), schemaRegistryUrl)
            .withKafkaProperties(new HashMap<>(config.kafka().properties()));
    }

    public RolloutSettings withKafkaProperties(Map<String, Object> properties) {
        return new RolloutSettings(bootstrap, properties, schemaRegistryUrl, registryProperties, requestTimeout);
    }

    public RolloutSettings withRegistryProperties(Map<String, Object> properties) {
        return new RolloutSettings(bootstrap, kafkaProperties, schemaRegistryUrl, properties, requestTimeout);
    }

    public RolloutSettings withRequestTimeout(Duration timeout) {
        return new RolloutSettings(bootstrap, kafkaProperties, schemaRegistryUrl, registryProperties, timeout);
    }
}
