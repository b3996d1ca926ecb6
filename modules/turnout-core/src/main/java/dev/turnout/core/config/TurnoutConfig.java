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
    ServiceConfig service,
    Map<String, ClusterConfig> clusters,
    CaptureConfig capture,
    OutboxConfig outbox,
    ApplyConfig apply,
    RolloutConfig rollout) {

    public TurnoutConfig {
        mappings = List.copyOf(mappings);
        clusters = Map.copyOf(clusters);
    }

    /** The mapping declared for a source table, if any; a table without one is copied as is. */
    public Optional<MappingConfig> mappingFor(TableId sourceTable) {
        return mappings.stream().filter(m -> m.from().equals(sourceTable)).findFirst();
    }

    /**
     * The target tables the pipeline writes, in {@code source.tables} order without repeats: each source table's
     * mapping's {@code to}, or the source table's own name when it has no mapping.
     */
    public List<TableId> targetTables() {
        return source.tables().stream()
            .map(t -> mappingFor(t).map(MappingConfig::to).orElse(t))
            .distinct()
            .toList();
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
    public record ReconcileConfig(boolean continuous, java.time.Duration grace, List<String> ignore,
                                  VerifyConfig verify) {
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

    /** The HTTP server for the dashboard. */
    public record DashboardConfig(boolean enabled, String bind) {
    }

    /**
     * The service endpoints ({@code /metrics}, {@code /health/live}, {@code /health/ready}) of long-running verbs.
     *
     * @param bind {@code host:port} to listen on
     */
    public record ServiceConfig(String bind) {
        /** Loopback; 9464 is the port OpenTelemetry's Prometheus exporter uses by default. */
        public static final String DEFAULT_BIND = "127.0.0.1:9464";
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

    /**
     * How the applier writes the target database.
     *
     * @param batchSize          most changes of one apply-topic partition written in one target transaction
     * @param parallelism        partitions written at once, each on its own connection
     * @param tombstoneRetention how long a deleted key's position is kept to refuse late, older upserts
     */
    public record ApplyConfig(int batchSize, int parallelism, java.time.Duration tombstoneRetention) {
    }

    /**
     * Phased rollout of services: the ladder {@code advance} climbs, the gates that guard it, and what happens when a
     * gate keeps failing.
     *
     * @param ladder        the percentages {@code advance} steps through, increasing
     * @param onGateFailure what the guard does when a gate has failed for {@code failFor}
     * @param failFor       how long a gate must fail without interruption before the guard acts
     * @param checkInterval how often the guard checks the gates
     */
    public record RolloutConfig(List<java.math.BigDecimal> ladder, GateFailureAction onGateFailure,
                                java.time.Duration failFor, java.time.Duration checkInterval, RolloutGatesConfig gates) {
        public RolloutConfig {
            ladder = List.copyOf(ladder);
        }
    }

    /** The thresholds of each rollout gate. */
    public record RolloutGatesConfig(ReconciliationGateConfig reconciliation, ApplyLagGateConfig applyLag,
                                     DeadLetterGateConfig deadLetters, ErrorRateGateConfig errorRate) {
    }

    /**
     * @param maxUnresolvedPercent the largest share of keys, in percent, that may be MISMATCH or MISSING
     * @param maxUnresolvedAge     how old the oldest unresolved difference may be
     */
    public record ReconciliationGateConfig(java.math.BigDecimal maxUnresolvedPercent,
                                           java.time.Duration maxUnresolvedAge) {
    }

    /** @param maxRecords the largest number of apply-topic records the applier may be behind */
    public record ApplyLagGateConfig(int maxRecords) {
    }

    /**
     * @param maxNew the most records the dead-letter topic may gain within {@code window}
     * @param window how far back dead letters count
     */
    public record DeadLetterGateConfig(int maxNew, java.time.Duration window) {
    }

    /**
     * @param maxPercent the largest share of calls served by NEW, in percent, that may fail within {@code window}
     * @param window     how far back calls count
     * @param minCalls   fewer calls on NEW than this in the window are too few to judge: the gate does not apply
     */
    public record ErrorRateGateConfig(java.math.BigDecimal maxPercent, java.time.Duration window, int minCalls) {
    }

    /** A named Kafka-protocol cluster for the cutover verbs. */
    public record ClusterConfig(String bootstrap, Map<String, String> properties) {
        public ClusterConfig {
            properties = Map.copyOf(properties);
        }
    }
}
