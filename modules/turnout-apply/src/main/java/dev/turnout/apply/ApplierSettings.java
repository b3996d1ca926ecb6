package dev.turnout.apply;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.turnout.core.config.Secret;
import dev.turnout.core.config.TableId;
import dev.turnout.core.config.TurnoutConfig;

/**
 * What one applier instance needs: the target database, the target tables whose apply topics it reads, the Kafka
 * cluster and schema registry, and its batching. Immutable; validated at construction. Built from a config with
 * {@link #from(TurnoutConfig, String)}, or directly by tests and the demo.
 *
 * @param pipeline           names the apply topics, the dead-letter topic and the consumer group
 * @param targetUrl          JDBC URL of the target PostgreSQL
 * @param tables             the target tables to apply
 * @param registryUrl        the Confluent-compatible schema registry the apply records' schemas are in
 * @param batchSize          most records of one partition written in one target transaction
 * @param parallelism        partitions written at once, each on its own target connection
 * @param tombstoneRetention how long a deleted key's position is kept
 * @param tombstoneCleanup   how often tombstones older than the retention are removed
 */
public record ApplierSettings(
    String pipeline,
    String targetUrl,
    String user,
    Secret password,
    List<TableId> tables,
    String bootstrap,
    Map<String, String> kafkaProperties,
    String registryUrl,
    int batchSize,
    int parallelism,
    Duration tombstoneRetention,
    Duration tombstoneCleanup) {

    public ApplierSettings {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(targetUrl, "targetUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(registryUrl, "registryUrl");
        Objects.requireNonNull(tombstoneRetention, "tombstoneRetention");
        Objects.requireNonNull(tombstoneCleanup, "tombstoneCleanup");
        if (tombstoneCleanup.isNegative() || tombstoneCleanup.isZero()) {
            throw new IllegalArgumentException("tombstoneCleanup must be positive, got " + tombstoneCleanup);
        }
        tables = List.copyOf(tables);
        kafkaProperties = Map.copyOf(kafkaProperties);
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("the applier needs at least one target table");
        }
        if (batchSize < 1 || parallelism < 1) {
            throw new IllegalArgumentException("batchSize and parallelism must be at least 1, got " + batchSize + " and "
                + parallelism);
        }
        if (!targetUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("expected a jdbc:postgresql: URL for the target, got " + targetUrl);
        }
    }

    /** Settings for the pipeline a config describes, reading schemas from {@code registryUrl}. */
    public static ApplierSettings from(TurnoutConfig config, String registryUrl) {
        return new ApplierSettings(config.pipeline(), config.target().url(), config.target().user(),
            config.target().password(), config.targetTables(), config.kafka().bootstrap(), config.kafka().properties(),
            registryUrl, config.apply().batchSize(), config.apply().parallelism(), config.apply().tombstoneRetention(),
            cleanupInterval(config.apply().tombstoneRetention()));
    }

    /** How often to remove old tombstones for a retention: a quarter of it, between one second and five minutes. */
    public static Duration cleanupInterval(Duration retention) {
        Duration quarter = retention.dividedBy(4);
        Duration least = Duration.ofSeconds(1);
        Duration most = Duration.ofMinutes(5);
        return quarter.compareTo(least) < 0 ? least : quarter.compareTo(most) > 0 ? most : quarter;
    }

    /** The consumer group of the pipeline's appliers: {@code turnout-<pipeline>-apply}. */
    public String groupId() {
        return "turnout-" + pipeline + "-apply";
    }
}
