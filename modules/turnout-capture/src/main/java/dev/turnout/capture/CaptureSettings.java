package dev.turnout.capture;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.turnout.core.config.Secret;
import dev.turnout.core.config.SnapshotMode;
import dev.turnout.core.config.TableId;
import dev.turnout.core.config.TurnoutConfig;

/**
 * What one capture instance needs: the source, the tables, the Kafka cluster and registry to write to. Immutable;
 * validated at construction. Built from a {@link TurnoutConfig} with {@link #from(TurnoutConfig, String)}, or directly by
 * tests and the demo.
 *
 * @param pipeline        names topics, the slot, the publication and the transactional id
 * @param sourceJdbcUrl   {@code jdbc:postgresql://host:port/database}
 * @param registryUrl     the Confluent-compatible schema registry the Avro converter registers with
 * @param heartbeat       Debezium heartbeat interval; zero disables heartbeats
 * @param outboxTables    tables whose rows are routed as events rather than captured as changes
 * @param outboxTopic     event topic pattern with {@code {aggregateType}}
 */
public record CaptureSettings(
    String pipeline,
    String sourceJdbcUrl,
    String user,
    Secret password,
    List<TableId> tables,
    SnapshotMode snapshot,
    String bootstrap,
    Map<String, String> kafkaProperties,
    String registryUrl,
    int partitions,
    Duration heartbeat,
    List<TableId> outboxTables,
    String outboxTopic) {

    public CaptureSettings {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(registryUrl, "registryUrl");
        tables = List.copyOf(tables);
        kafkaProperties = Map.copyOf(kafkaProperties);
        outboxTables = List.copyOf(outboxTables);
        if (tables.isEmpty() && outboxTables.isEmpty()) {
            throw new IllegalArgumentException("capture needs at least one table");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        database(sourceJdbcUrl);
    }

    /** Settings for the pipeline a config describes, writing schemas to {@code registryUrl}. */
    public static CaptureSettings from(TurnoutConfig config, String registryUrl) {
        return new CaptureSettings(config.pipeline(), config.source().url(), config.source().user(),
            config.source().password(), config.source().tables(), config.source().snapshot(), config.kafka().bootstrap(),
            config.kafka().properties(), registryUrl, config.capture().partitions(), config.capture().heartbeat(),
            config.outbox().tables(), config.outbox().topic());
    }

    /** The source host, port and database, from the JDBC URL. */
    public record Database(String host, int port, String name) {
    }

    public Database database() {
        return database(sourceJdbcUrl);
    }

    private static Database database(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("expected jdbc:postgresql://host:port/database, got " + jdbcUrl);
        }
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (uri.getHost() == null || path.isEmpty()) {
            throw new IllegalArgumentException("expected jdbc:postgresql://host:port/database, got " + jdbcUrl);
        }
        return new Database(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432, path);
    }
}
