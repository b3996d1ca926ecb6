package dev.turnout.capture;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.turnout.capture.internal.TopicOffsetProperties;
import dev.turnout.core.ChangeEvents;
import dev.turnout.core.TopicNames;
import dev.turnout.core.config.SnapshotMode;
import dev.turnout.core.config.TableId;

/**
 * The Debezium PostgreSQL connector settings for a pipeline, in one place: the embedded engine runs with
 * {@link #embedded}, and {@code connectors/} holds the same settings as {@link #kafkaConnect} for users who run capture
 * on a Kafka Connect cluster instead. Both share {@link #connector}, so the two paths cannot drift.
 */
public final class ConnectorProperties {

    /** The Debezium outbox router's placeholder for the routed-by value. */
    private static final String ROUTED_BY = "${routedByValue}";

    private ConnectorProperties() {
    }

    /** Connector-level settings, identical for the embedded engine and Kafka Connect. The password is not included. */
    public static Map<String, String> connector(CaptureSettings s) {
        Map<String, String> p = new LinkedHashMap<>();
        CaptureSettings.Database db = s.database();
        p.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.put("tasks.max", "1");
        p.put("plugin.name", "pgoutput");
        p.put("database.hostname", db.host());
        p.put("database.port", String.valueOf(db.port()));
        p.put("database.dbname", db.name());
        p.put("database.user", s.user());
        p.put("topic.prefix", s.pipeline());
        p.put("slot.name", TopicNames.slot(s.pipeline()));
        p.put("publication.name", TopicNames.publication(s.pipeline()));
        // Exactly the configured tables, and the publication is altered when the list changes.
        p.put("publication.autocreate.mode", "filtered");
        p.put("table.include.list", includeList(s));
        p.put("snapshot.mode", snapshotMode(s.snapshot()));
        p.put("slot.drop.on.stop", "false");
        p.put("tombstones.on.delete", "true");
        // Transaction boundaries in every value (source.txId, lsn, ts_ms) and BEGIN/END events on <prefix>.transaction.
        p.put("provide.transaction.metadata", "true");
        p.put("decimal.handling.mode", "precise");
        p.put("time.precision.mode", "adaptive_time_microseconds");
        p.put("field.name.adjustment.mode", "avro");
        p.put("schema.name.adjustment.mode", "avro");
        p.put("heartbeat.interval.ms", String.valueOf(s.heartbeat().toMillis()));
        p.put("unavailable.value.placeholder", ChangeEvents.UNAVAILABLE_VALUE_PLACEHOLDER);
        // On-demand incremental snapshots are signalled through a table in the source database.
        p.put("signal.enabled.channels", "source");
        p.put("signal.data.collection", TopicNames.signalTable(s.pipeline()).toString());
        p.put("incremental.snapshot.chunk.size", "2048");
        // No task restarts on either path: a restarted task would re-create a dropped slot and carry on as if nothing
        // was lost. The task fails instead; turnout capture exits 3 and checks slot and offsets on its next start, and
        // on Kafka Connect the task shows FAILED until an operator restarts it.
        p.put("errors.max.retries", "0");
        // Resume from the slot when it is ahead of the stored offset. Turnout confirms the slot only after the Kafka
        // commit, so the slot never runs ahead of Kafka. (Embedded capture also withholds lsn_proc from the engine, so
        // Debezium does not search the WAL by change LSN, which with interleaved transactions can skip a transaction
        // Kafka never got; see TopicOffsetBackingStore.)
        p.put("offset.mismatch.strategy", "trust_slot");
        // How long the connector sleeps when the slot has nothing new, and how long a batch waits to fill: both sit
        // directly in the source-commit-to-target latency (turnout-bench: 500 ms, Debezium's default, and then 50 ms
        // each showed in the latency at 5,000 rows/s). At 10 ms an idle connector wakes a hundred times a second.
        p.put("poll.interval.ms", "10");
        if (!s.outboxTables().isEmpty()) {
            p.put("transforms", "outbox");
            p.put("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
            p.put("transforms.outbox.predicate", "isOutbox");
            p.put("transforms.outbox.route.topic.replacement", s.outboxTopic().replace("{aggregateType}", ROUTED_BY));
            p.put("transforms.outbox.table.expand.json.payload", "false");
            p.put("transforms.outbox.table.fields.additional.placement", "type:header:eventType");
            p.put("predicates", "isOutbox");
            p.put("predicates.isOutbox.type", "org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
            p.put("predicates.isOutbox.pattern", s.outboxTables().stream()
                .map(t -> Pattern.quote(TopicNames.cdc(s.pipeline(), t))).collect(Collectors.joining("|")));
        }
        return p;
    }

    /** Settings for the embedded engine: the connector's, plus the offset store and engine plumbing. */
    public static Map<String, String> embedded(CaptureSettings s) {
        Map<String, String> p = new LinkedHashMap<>(connector(s));
        p.put("name", "turnout-" + s.pipeline());
        p.put("database.password", s.password().reveal());
        p.put("offset.storage", "dev.turnout.capture.internal.TopicOffsetBackingStore");
        p.put("offset.flush.interval.ms", "0");
        p.put("offset.flush.timeout.ms", "60000");
        p.put("record.processing.order", "ORDERED");
        p.put(TopicOffsetProperties.TOPIC, TopicNames.captureOffsets(s.pipeline()));
        p.put(TopicOffsetProperties.BOOTSTRAP, s.bootstrap());
        s.kafkaProperties().forEach((k, v) -> p.put(TopicOffsetProperties.CLIENT_PREFIX + k, v));
        return p;
    }

    /**
     * Settings for a Kafka Connect worker: the connector's, plus Turnout's Avro converter. The password is a Connect
     * config-provider reference, so the file holds no secret.
     */
    public static Map<String, String> kafkaConnect(CaptureSettings s) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("name", "turnout-" + s.pipeline());
        p.putAll(connector(s));
        p.put("database.password", "${env:SOURCE_PASSWORD}");
        for (String side : List.of("key", "value")) {
            p.put(side + ".converter", "dev.turnout.core.avro.AvroConverter");
            p.put(side + ".converter.schema.registry.url", s.registryUrl());
        }
        // The worker creates missing topics as turnout capture does (TopicCreator): the configured partition count,
        // the broker's replication factor, and one partition for transaction metadata and heartbeats, whose order is
        // global. Without these the topics would depend on the broker's auto-creation and its num.partitions.
        p.put("topic.creation.groups", "ordered");
        p.put("topic.creation.ordered.include", literal(TopicNames.transactions(s.pipeline())) + ","
            + literal(TopicNames.heartbeats(s.pipeline())));
        p.put("topic.creation.ordered.partitions", "1");
        p.put("topic.creation.default.partitions", String.valueOf(s.partitions()));
        p.put("topic.creation.default.replication.factor", "-1");
        return p;
    }

    private static String includeList(CaptureSettings s) {
        List<TableId> all = new ArrayList<>(s.tables());
        all.addAll(s.outboxTables());
        all.add(TopicNames.signalTable(s.pipeline()));
        // Debezium's include list is a list of regular expressions; a dot in a name must not match any character.
        return all.stream().distinct().map(t -> t.schema() + "\\." + t.table()).collect(Collectors.joining(","));
    }

    /** A regular expression matching exactly the topic {@code name}; the dot is its only special character. */
    private static String literal(String name) {
        return name.replace(".", "\\.");
    }

    private static String snapshotMode(SnapshotMode mode) {
        return switch (mode) {
            case INITIAL -> "initial";
            case ALWAYS -> "always";
            // Debezium's name for "stream only, never read existing rows".
            case NEVER -> "no_data";
        };
    }
}
