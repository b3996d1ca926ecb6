package dev.turnout.core.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated {@code turnout.yaml}. Immutable; obtained from {@link ConfigLoader}, which has already checked every value
 * and cross-key rule, so holders can rely on what it says. Keys and their meaning are declared in
 * {@link TurnoutConfigSchema}.
 */
public record TurnoutConfig(
    String pipeline,
    KafkaConfig kafka,
    Optional<SchemaRegistryConfig> schemaRegistry,
    SourceConfig source,
    TargetConfig target,
    Mode mode,
    List<MappingConfig> mappings,
    ReconcileConfig reconcile,
    DashboardConfig dashboard,
    Map<String, ClusterConfig> clusters,
    CaptureConfig capture,
    OutboxConfig outbox) {

    public TurnoutConfig {
        mappings = List.copyOf(mappings);
        clusters = Map.copyOf(clusters);
    }

    /** The mapping declared for a source table, if any; a table without one is copied as is. */
    public Optional<MappingConfig> mappingFor(TableId sourceTable) {
        return mappings.stream().filter(m -> m.from().equals(sourceTable)).findFirst();
    }

    /** The Kafka connection of the pipeline. */
    public record KafkaConfig(String bootstrap, Map<String, String> properties) {
        public KafkaConfig {
            properties = Map.copyOf(properties);
        }
    }

    /** An external Confluent-compatible schema registry. */
    public record SchemaRegistryConfig(String url) {
    }

    /** The database being migrated from. */
    public record SourceConfig(String url, String user, Secret password, List<TableId> tables, SnapshotMode snapshot) {
        public SourceConfig {
            tables = List.copyOf(tables);
        }
    }

    /** The database being migrated to. */
    public record TargetConfig(String url, String user, Secret password) {
    }

    /**
     * How one source table becomes a target table.
     *
     * @param key     target key columns; empty means the source table's primary key
     * @param columns target column to expression over {@code row}; empty means every source column by name
     */
    public record MappingConfig(TableId from, TableId to, List<String> key, Map<String, String> columns,
                                Optional<String> where) {
        public MappingConfig {
            to = to == null ? from : to;
            key = List.copyOf(key);
            columns = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(columns));
        }
    }

    /** Continuous reconciliation settings, and those of {@code turnout verify}. */
    public record ReconcileConfig(java.time.Duration grace, List<String> ignore, VerifyConfig verify) {
        public ReconcileConfig {
            ignore = List.copyOf(ignore);
        }
    }

    /**
     * How {@code turnout verify} compares.
     *
     * @param bisectionFactor    segments a differing key range is split into per bisection level
     * @param bisectionThreshold rows at or below which a differing range is compared row by row
     * @param timeout            longest wait for the pipeline to pass the compared source position
     * @param settle             dual-write mode: the wait before differing keys are checked again
     * @param samples            keys listed per table and kind of difference in the report
     */
    public record VerifyConfig(int bisectionFactor, int bisectionThreshold, java.time.Duration timeout,
                               java.time.Duration settle, int samples) {
    }

    /** The HTTP server for the dashboard, metrics and health. */
    public record DashboardConfig(String bind) {
    }

    /** How changes are captured into Kafka. */
    public record CaptureConfig(int partitions, java.time.Duration heartbeat) {
    }

    /**
     * Outbox tables: rows a service inserts in the same transaction as its own writes, routed to event topics.
     *
     * @param topic the event topic, with {@code {aggregateType}} replaced by the row's aggregate type
     */
    public record OutboxConfig(List<TableId> tables, String topic) {
        public OutboxConfig {
            tables = List.copyOf(tables);
        }
    }

    /** A named Kafka-protocol cluster for the cutover verbs. */
    public record ClusterConfig(String bootstrap, Map<String, String> properties) {
        public ClusterConfig {
            properties = Map.copyOf(properties);
        }
    }
}
