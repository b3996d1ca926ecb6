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
        optional("grace", Scalars.duration(),
            "How long a key may differ, after the last change of either side, before PENDING becomes MISMATCH, MISSING "
                + "or EXTRA.").withDefault("30s"),
        optional("ignore", ListSpec.of(Scalars.identifier()),
            "Target columns never compared, in any table (e.g. updated_at).").withDefault(List.of()),
        optional("verify", VERIFY, "On-demand comparison (turnout verify).").withDefault(Map.of()));

    private static final ObjectSpec DASHBOARD = ObjectSpec.of(TurnoutConfig.DashboardConfig.class,
        "the dashboard server",
        optional("bind", Scalars.hostPort(),
            "Address of the dashboard, /metrics and /health. Loopback by default; widen it deliberately.")
            .withDefault("127.0.0.1:8080"));

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
        optional("dashboard", DASHBOARD, "Dashboard, metrics and health endpoints.").withDefault(Map.of()),
        optional("clusters", MapSpec.of(Scalars.key(), CLUSTER),
            "Named clusters for the cutover verbs (--from, --to, --cluster).").withDefault(Map.of()),
        optional("capture", CAPTURE, "Capture into Kafka.").withDefault(Map.of()),
        optional("outbox", OUTBOX, "Outbox tables routed to event topics.").withDefault(Map.of()));

    private TurnoutConfigSchema() {
    }
}
