package dev.turnout.transform.stream;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

import dev.turnout.core.config.TurnoutConfig;

/**
 * What one transform instance needs besides its mappings: the pipeline's Kafka cluster and schema registry, the
 * partition count of its topics, and where Kafka Streams keeps local state. Immutable; validated at construction.
 *
 * @param pipeline        names the input, apply and dead-letter topics and the Streams application id
 * @param bootstrap       bootstrap servers of the pipeline's cluster
 * @param kafkaProperties client properties (security.protocol, sasl.*, ssl.*, any consumer or producer setting), passed
 *                        to every client Kafka Streams creates; Turnout's own settings (processing guarantee,
 *                        application id) win over them
 * @param registryUrl     the Confluent-compatible schema registry capture writes to and the apply topics are written to
 * @param partitions      partitions of the CDC topics ({@code capture.partitions}), and so of the apply topics
 * @param stateDir        directory of the local state stores; rebuilt from their changelog topics when lost
 */
public record TransformSettings(
    String pipeline,
    String bootstrap,
    Map<String, String> kafkaProperties,
    String registryUrl,
    int partitions,
    Path stateDir) {

    /**
     * {@code ~/.turnout/streams}: not the OS temp directory, which may be cleared under a running instance (Kafka
     * Streams then fails writing its checkpoints). Each pipeline's state sits in a subdirectory named after its
     * application id.
     */
    public static final Path DEFAULT_STATE_DIR = Path.of(System.getProperty("user.home"), ".turnout", "streams");

    public TransformSettings {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(registryUrl, "registryUrl");
        Objects.requireNonNull(stateDir, "stateDir");
        kafkaProperties = Map.copyOf(kafkaProperties);
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
    }

    /**
     * Settings for the pipeline a config describes, reading schemas from {@code registryUrl} (the config's
     * {@code schemaRegistry.url}, or the embedded registry the caller started), with state in
     * {@link #DEFAULT_STATE_DIR}.
     */
    public static TransformSettings from(TurnoutConfig config, String registryUrl) {
        return new TransformSettings(config.pipeline(), config.kafka().bootstrap(), config.kafka().properties(),
            registryUrl, config.capture().partitions(), DEFAULT_STATE_DIR);
    }

    /** The same settings with local state in {@code dir}. */
    public TransformSettings withStateDir(Path dir) {
        return new TransformSettings(pipeline, bootstrap, kafkaProperties, registryUrl, partitions, dir);
    }

    /** The Kafka Streams application id, which is also the consumer group and the prefix of internal topics. */
    public String applicationId() {
        return "turnout-" + pipeline + "-transform";
    }
}
