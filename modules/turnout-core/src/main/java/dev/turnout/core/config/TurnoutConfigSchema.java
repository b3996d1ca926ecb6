package dev.turnout.core.config;

import static dev.turnout.core.config.spec.Field.optional;
import static dev.turnout.core.config.spec.Field.required;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.turnout.core.config.spec.ListSpec;
import dev.turnout.core.config.spec.MapSpec;
import dev.turnout.core.config.spec.ObjectSpec;
import dev.turnout.core.config.spec.Scalars;

/**
 * Every key of {@code turnout.yaml}, declared once: name, type, whether required, default, validation and documentation.
 * The loader validates against this, {@code config check} masks by it, and the README's config reference is generated from
 * it ({@link ConfigReference}).
 */
public final class TurnoutConfigSchema {

    /** Client property names whose values are credentials. */
    static final Pattern SECRET_PROPERTY = Pattern.compile("(?i)password|secret|jaas|token|credentials");

    private static final ObjectSpec KAFKA = ObjectSpec.of(TurnoutConfig.KafkaConfig.class, "the Kafka connection",
        required("bootstrap", Scalars.bootstrap(),
            "Bootstrap servers of the Kafka or Redpanda cluster the pipeline's topics live on."),
        optional("properties", MapSpec.of(Scalars.key(), Scalars.string()).maskingValuesOf(SECRET_PROPERTY),
            "Any Kafka client property (security.protocol, sasl.*, ssl.*), passed to every client Turnout creates. "
                + "Values of keys naming a password, secret, JAAS config or token are masked when shown.")
            .withDefault(Map.of()));

    private static final ObjectSpec SCHEMA_REGISTRY = ObjectSpec.of(TurnoutConfig.SchemaRegistryConfig.class,
        "the schema registry",
        required("url", Scalars.httpUrl(),
            "URL of a Confluent-compatible schema registry (Confluent, Redpanda, Apicurio's ccompat API)."));

    private static final ObjectSpec SOURCE = ObjectSpec.of(TurnoutConfig.SourceConfig.class, "the source database",
        required("url", Scalars.jdbcUrl(), "JDBC URL of the source PostgreSQL (wal_level=logical)."),
        required("user", Scalars.nonEmptyString(), "User with the REPLICATION attribute and SELECT on the tables."),
        optional("password", Scalars.string(), "Password of the source user.").withDefault("").secret(),
        required("tables", ListSpec.nonEmpty(Scalars.tableName()),
            "Tables to capture, as schema.table. The publication covers exactly these."),
        optional("snapshot", Scalars.oneOf(SnapshotMode.class),
            "initial: snapshot once, then stream; never: stream only; always: snapshot at every start.")
            .withDefault("initial"));

    private static final ObjectSpec TARGET = ObjectSpec.of(TurnoutConfig.TargetConfig.class, "the target database",
        required("url", Scalars.jdbcUrl(), "JDBC URL of the target PostgreSQL."),
        required("user", Scalars.nonEmptyString(), "User that owns or may write the target tables."),
        optional("password", Scalars.string(), "Password of the target user.").withDefault("").secret());

    private static final ObjectSpec MAPPING = ObjectSpec.of(TurnoutConfig.MappingConfig.class, "a table mapping",
        required("from", Scalars.tableName(), "Source table, one of source.tables."),
        optional("to", Scalars.tableName(), "Target table; defaults to the source table's name."),
        optional("key", ListSpec.of(Scalars.identifier()),
            "Target key columns; empty or absent means the source table's primary key.").withDefault(List.of()),
        optional("columns", MapSpec.of(Scalars.identifier(), Scalars.nonEmptyString()),
            "Target column to expression over `row` (the source row). Absent: every source column by name; "
                + "given: exactly these columns.").withDefault(Map.of()),
        optional("where", Scalars.nonEmptyString(),
            "Predicate over `row`; rows for which it is false are not in the target."));

    private static final ObjectSpec VERIFY = ObjectSpec.of(TurnoutConfig.VerifyConfig.class, "verify settings",
        optional("bisectionFactor", Scalars.integer(2, 1_000),
            "Segments a key range whose checksums differ is split into, per level of the checksum bisection.")
            .withDefault("16"),
        optional("bisectionThreshold", Scalars.integer(1, 1_000_000),
            "Rows at or below which a differing key range is compared row by row instead of split further.")
            .withDefault("1000"),
        optional("timeout", Scalars.duration(),
            "How long verify waits for the pipeline (capture, transform, applier) to pass the source position it "
                + "compares at.").withDefault("5m"),
        optional("settle", Scalars.duration(),
            "In dual-write mode (no position to wait for): how long verify waits before re-checking the keys that "
                + "differed.").withDefault("5s"),
        optional("samples", Scalars.integer(0, 100_000),
            "Missing, extra and mismatching keys listed per table in the report.").withDefault("20"));

    private static final ObjectSpec RECONCILE = ObjectSpec.of(TurnoutConfig.ReconcileConfig.class,
        "reconciliation settings",
        optional("continuous", Scalars.bool(),
            "Whether turnout run reconciles continuously. It captures the target too, which needs wal_level=logical and "
                + "a user with REPLICATION there; turnout reconcile runs it alone.").withDefault("true"),
        optional("grace", Scalars.duration(),
            "How long a key may differ, after the last change of either side, before PENDING becomes MISMATCH, MISSING "
                + "or EXTRA.").withDefault("30s"),
        optional("ignore", ListSpec.of(Scalars.identifier()),
            "Target columns never compared, in any table (e.g. updated_at).").withDefault(List.of()),
        optional("verify", VERIFY, "On-demand comparison (turnout verify).").withDefault(Map.of()));

    private static final ObjectSpec DASHBOARD = ObjectSpec.of(TurnoutConfig.DashboardConfig.class,
        "the dashboard server",
        optional("enabled", Scalars.bool(), "Whether turnout run serves the dashboard (on loopback only; elsewhere run "
            + "turnout dashboard with a token).").withDefault("true"),
        optional("bind", Scalars.hostPort(),
            "Address of the dashboard, which shows data rows. Loopback by default; widen it deliberately.")
            .withDefault("127.0.0.1:8080"));

    private static final ObjectSpec SERVICE = ObjectSpec.of(TurnoutConfig.ServiceConfig.class,
        "the service endpoints",
        optional("bind", Scalars.hostPort(),
            "Address of /metrics (Prometheus), /health/live and /health/ready. They show no data rows; in a container "
                + "bind 0.0.0.0 so probes and Prometheus reach them.").withDefault(TurnoutConfig.ServiceConfig.DEFAULT_BIND));

    private static final ObjectSpec CLUSTER = ObjectSpec.of(TurnoutConfig.ClusterConfig.class, "a named cluster",
        required("bootstrap", Scalars.bootstrap(), "Bootstrap servers of the cluster."),
        optional("properties", MapSpec.of(Scalars.key(), Scalars.string()).maskingValuesOf(SECRET_PROPERTY),
            "Kafka client properties for this cluster (SASL, TLS).").withDefault(Map.of()));

    private static final ObjectSpec CAPTURE = ObjectSpec.of(TurnoutConfig.CaptureConfig.class, "capture settings",
        optional("partitions", Scalars.integer(1, 10_000),
            "Partitions of each CDC topic Turnout creates; changes to one key always go to one partition.")
            .withDefault("1"),
        optional("heartbeat", Scalars.duration(),
            "Interval of Debezium heartbeats, which let the slot advance while captured tables are quiet; 0s disables "
                + "them.").withDefault("10s"));

    private static final ObjectSpec OUTBOX = ObjectSpec.of(TurnoutConfig.OutboxConfig.class, "outbox routing",
        optional("tables", ListSpec.of(Scalars.tableName()),
            "Outbox tables (columns id, aggregatetype, aggregateid, type, payload); each row becomes one event.")
            .withDefault(List.of()),
        optional("topic", Scalars.nonEmptyString(),
            "Event topic; {aggregateType} is replaced by the row's aggregatetype.")
            .withDefault("outbox.event.{aggregateType}"));

    private static final ObjectSpec APPLY = ObjectSpec.of(TurnoutConfig.ApplyConfig.class, "applier settings",
        optional("batchSize", Scalars.integer(1, 100_000),
            "Most changes the applier writes to one target table partition in one transaction (one statement per "
                + "batch for upserts).").withDefault("500"),
        optional("parallelism", Scalars.integer(1, 64),
            "Partitions the applier writes at once, each in its own transaction on its own target connection.")
            .withDefault("4"),
        optional("tombstoneRetention", Scalars.duration(),
            "How long a deleted key keeps its position in turnout_tombstones, so that a late, older upsert cannot bring "
                + "it back; older tombstones are removed periodically.").withDefault("7d"));

    private static final ObjectSpec RECONCILIATION_GATE = ObjectSpec.of(TurnoutConfig.ReconciliationGateConfig.class,
        "the reconciliation gate",
        optional("maxUnresolvedPercent", Scalars.percent(),
            "Largest share of keys, in percent of all reconciled keys, that may be MISMATCH or MISSING (read from "
                + "turnout.<pipeline>.reconcile.summary).").withDefault("0.1"),
        optional("maxUnresolvedAge", Scalars.duration(),
            "How old the oldest unresolved difference (MISMATCH, MISSING or EXTRA) may be.").withDefault("5m"));

    private static final ObjectSpec APPLY_LAG_GATE = ObjectSpec.of(TurnoutConfig.ApplyLagGateConfig.class,
        "the apply-lag gate",
        optional("maxRecords", Scalars.integer(0, Integer.MAX_VALUE),
            "Most apply-topic records the applier's consumer group (turnout-<pipeline>-apply) may be behind.")
            .withDefault("10000"));

    private static final ObjectSpec DEAD_LETTER_GATE = ObjectSpec.of(TurnoutConfig.DeadLetterGateConfig.class,
        "the dead-letter gate",
        optional("maxNew", Scalars.integer(0, Integer.MAX_VALUE),
            "Most records the dead-letter topic (turnout.<pipeline>.dlq) may gain within the window.").withDefault("0"),
        optional("window", Scalars.duration(), "How far back new dead letters count.").withDefault("5m"));

    private static final ObjectSpec ERROR_RATE_GATE = ObjectSpec.of(TurnoutConfig.ErrorRateGateConfig.class,
        "the error-rate gate",
        optional("maxPercent", Scalars.percent(),
            "Largest share of calls served by NEW, in percent, that may fail within the window (services report "
                + "calls through RolloutSignals).").withDefault("1"),
        optional("window", Scalars.duration(), "How far back reported calls count.").withDefault("5m"),
        optional("minCalls", Scalars.integer(1, Integer.MAX_VALUE),
            "Fewer calls on NEW than this within the window are too few to judge; the gate then does not apply.")
            .withDefault("100"));

    private static final ObjectSpec ROLLOUT_GATES = ObjectSpec.of(TurnoutConfig.RolloutGatesConfig.class,
        "the rollout gates",
        optional("reconciliation", RECONCILIATION_GATE, "Reconciliation gate: differences between source and target.")
            .withDefault(Map.of()),
        optional("applyLag", APPLY_LAG_GATE, "Apply-lag gate: how far the target is behind.").withDefault(Map.of()),
        optional("deadLetters", DEAD_LETTER_GATE, "Dead-letter gate: poison records arriving.").withDefault(Map.of()),
        optional("errorRate", ERROR_RATE_GATE, "Error-rate gate: the services' own failures on NEW.")
            .withDefault(Map.of()));

    private static final ObjectSpec ROLLOUT = ObjectSpec.of(TurnoutConfig.RolloutConfig.class, "phased rollout",
        optional("ladder", ListSpec.nonEmpty(Scalars.percent()),
            "Percentages `turnout rollout advance` steps through, increasing, each above 0.")
            .withDefault(List.of("10", "25", "50", "75", "100")),
        optional("onGateFailure", Scalars.oneOf(GateFailureAction.class),
            "What the guard does when a gate has failed for failFor: hold (stay, advance refuses) or rollback (to 0% "
                + "at once). Either is recorded in turnout.rollout.state with the reason.").withDefault("hold"),
        optional("failFor", Scalars.duration(),
            "How long a gate must fail without interruption before the guard acts.").withDefault("1m"),
        optional("checkInterval", Scalars.duration(), "How often the guard checks the gates.").withDefault("10s"),
        optional("gates", ROLLOUT_GATES, "Thresholds of the gates checked by advance and by the guard.")
            .withDefault(Map.of()));

    /** The whole file. */
    public static final ObjectSpec ROOT = ObjectSpec.of(TurnoutConfig.class, "a Turnout config",
        required("pipeline", Scalars.name(40),
            "Name of the pipeline; names its topics, replication slot and publication."),
        required("kafka", KAFKA, "The Kafka or Redpanda cluster the pipeline runs on."),
        optional("schemaRegistry", SCHEMA_REGISTRY,
            "External schema registry. Absent: Turnout runs its embedded registry on the pipeline's Kafka."),
        required("source", SOURCE, "The database being migrated from."),
        required("target", TARGET, "The database being migrated to."),
        optional("mode", Scalars.oneOf(Mode.class),
            "replicate: capture, transform and apply; dual-write: the application writes both, Turnout reconciles.")
            .withDefault("replicate"),
        optional("mappings", ListSpec.of(MAPPING),
            "How source tables become target tables. A source table without a mapping is copied as is.")
            .withDefault(List.of()),
        optional("reconcile", RECONCILE, "Continuous reconciliation.").withDefault(Map.of()),
        optional("dashboard", DASHBOARD, "The dashboard.").withDefault(Map.of()),
        optional("service", SERVICE, "Metrics and health endpoints of every long-running verb.").withDefault(Map.of()),
        optional("clusters", MapSpec.of(Scalars.key(), CLUSTER),
            "Named clusters for the cutover verbs (--from, --to, --cluster).").withDefault(Map.of()),
        optional("capture", CAPTURE, "Capture into Kafka.").withDefault(Map.of()),
        optional("outbox", OUTBOX, "Outbox tables routed to event topics.").withDefault(Map.of()),
        optional("apply", APPLY, "Writing the target database.").withDefault(Map.of()),
        optional("rollout", ROLLOUT, "Phased rollout of services from the old system to the new one.")
            .withDefault(Map.of()));

    private TurnoutConfigSchema() {
    }
}
