package dev.turnout.app.dashboard;

import java.time.Duration;
import java.util.Map;

import dev.turnout.core.config.TurnoutConfig;

/**
 * Where a dashboard reads from: the pipeline whose reconcile topics it shows, the Kafka holding them (bootstrap and
 * client properties), the schema registry of their Avro schemas, and the pipeline's grace period (shown on the page).
 */
public record DashboardSource(String pipeline, String bootstrap, Map<String, String> kafkaProperties, String registryUrl,
                              Duration grace) {

    public DashboardSource {
        kafkaProperties = Map.copyOf(kafkaProperties);
    }

    /** The pipeline of a config, with the registry it uses (the config's or an embedded one). */
    public static DashboardSource of(TurnoutConfig config, String registryUrl) {
        return new DashboardSource(config.pipeline(), config.kafka().bootstrap(), config.kafka().properties(), registryUrl,
            config.reconcile().grace());
    }
}
