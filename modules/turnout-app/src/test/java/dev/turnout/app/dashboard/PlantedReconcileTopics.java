package dev.turnout.app.dashboard;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.turnout.core.TopicNames;
import dev.turnout.core.avro.AvroSerdeConfig;
import dev.turnout.core.avro.AvroSerializer;
import dev.turnout.core.config.ConfigLoader;
import dev.turnout.core.config.TableId;
import dev.turnout.core.config.TurnoutConfig;
import dev.turnout.core.registry.embedded.EmbeddedSchemaRegistry;
import dev.turnout.schemas.apply.ApplyColumn;
import dev.turnout.schemas.apply.ApplyKey;
import dev.turnout.schemas.reconcile.FieldDifference;
import dev.turnout.schemas.reconcile.KeyStatus;
import dev.turnout.schemas.reconcile.ReconcileStatus;
import dev.turnout.schemas.reconcile.ReconcileSummary;
import dev.turnout.testkit.KafkaCluster;
import dev.turnout.testkit.SharedInfrastructure;

/**
 * A pipeline's reconcile topics on the JVM's shared Kafka, written as the reconciliation writes them (compacted,
 * {@code ApplyKey} keys and {@code ReconcileStatus} values, {@code ReconcileSummary} by table name, Avro in the Confluent
 * wire format through the real embedded registry), so the dashboard can be tested apart from the topology.
 */
final class PlantedReconcileTopics implements AutoCloseable {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    final String pipeline;
    final KafkaCluster kafka = SharedInfrastructure.kafka();
    private final KafkaProducer<Object, Object> statuses;
    private final KafkaProducer<String, Object> summaries;

    PlantedReconcileTopics(String name) {
        this.pipeline = name + "_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet();
        Map<String, Object> serde = Map.of(AvroSerdeConfig.URL, Registry.INSTANCE.url());
        AvroSerializer keys = new AvroSerializer();
        keys.configure(serde, true);
        AvroSerializer values = new AvroSerializer();
        values.configure(serde, false);
        AvroSerializer summaryValues = new AvroSerializer();
        summaryValues.configure(serde, false);
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(),
            ProducerConfig.ACKS_CONFIG, "all");
        this.statuses = new KafkaProducer<>(props, keys, values);
        this.summaries = new KafkaProducer<>(props, new StringSerializer(), summaryValues);
        kafka.createTopic(TopicNames.reconcileSummary(pipeline), 1, Map.of("cleanup.policy", "compact"));
    }

    static String registryUrl() {
        return Registry.INSTANCE.url();
    }

    /** A config of this pipeline: the dashboard reads only its name, Kafka, registry and grace. */
    TurnoutConfig config() {
        return ConfigLoader.parse("turnout.yaml", """
            pipeline: %s
            kafka:
              bootstrap: %s
            schemaRegistry:
              url: %s
            source:
              url: jdbc:postgresql://127.0.0.1:1/unused
              user: postgres
              tables: [public.accounts]
            target:
              url: jdbc:postgresql://127.0.0.1:1/unused
              user: postgres
            """.formatted(pipeline, kafka.bootstrap(), registryUrl()), Map.of()).config();
    }

    /** Creates the status topic of {@code table} as the reconciliation does (compacted, two partitions). */
    void createTable(String table) {
        kafka.createTopic(TopicNames.reconcile(pipeline, TableId.parse(table)), 2, Map.of("cleanup.policy", "compact"));
    }

    /** Writes the status of key {@code id=<id>} of {@code table}. */
    void status(String table, long id, KeyStatus status, FieldDifference... differences) {
        Instant now = Instant.now();
        ReconcileStatus value = ReconcileStatus.newBuilder()
            .setTable(table)
            .setKey("id=" + id)
            .setStatus(status)
            .setDifferences(List.of(differences))
            .setSourceLsn(status == KeyStatus.EXTRA ? null : 0x16_0000_0000L + id * 0x100)
            .setTargetLsn(status == KeyStatus.MISSING || status == KeyStatus.EXTRA ? null : 0x16_0000_0000L)
            .setFirstSeen(now.minusSeconds(90 + id))
            .setLastChecked(now)
            .setPendingUntil(status == KeyStatus.PENDING ? now.plusSeconds(20) : null)
            .build();
        send(statuses, new ProducerRecord<>(topic(table), key(id), value));
    }

    /** Removes key {@code id=<id>} of {@code table} (neither side has it any more). */
    void tombstone(String table, long id) {
        send(statuses, new ProducerRecord<>(topic(table), key(id), null));
    }

    /** Writes {@code table}'s summary. */
    void summary(String table, long match, long pending, long mismatch, long missing, long extra, Long oldestAgeMs,
                 long sourceLsn) {
        ReconcileSummary value = ReconcileSummary.newBuilder()
            .setTable(table)
            .setMatch(match).setPending(pending).setMismatch(mismatch).setMissing(missing).setExtra(extra)
            .setOldestUnresolvedAgeMs(oldestAgeMs)
            .setSourceLsn(sourceLsn)
            .setEmittedAt(Instant.now())
            .build();
        send(summaries, new ProducerRecord<>(TopicNames.reconcileSummary(pipeline), table, value));
    }

    static FieldDifference diff(String field, String expected, String actual) {
        return FieldDifference.newBuilder().setField(field).setExpected(expected).setActual(actual).build();
    }

    private String topic(String table) {
        return TopicNames.reconcile(pipeline, TableId.parse(table));
    }

    private static ApplyKey key(long id) {
        return ApplyKey.newBuilder().setColumns(List.of(ApplyColumn.newBuilder().setName("id").setValue(id).build()))
            .build();
    }

    private static <K, V> void send(KafkaProducer<K, V> producer, ProducerRecord<K, V> record) {
        try {
            producer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError("could not write to " + record.topic(), e.getCause());
        }
    }

    @Override
    public void close() {
        statuses.close();
        summaries.close();
    }

    /** One embedded registry per test JVM, on the shared Kafka. */
    private static final class Registry {
        static final EmbeddedSchemaRegistry INSTANCE = EmbeddedSchemaRegistry.start(
            EmbeddedSchemaRegistry.Settings.of(SharedInfrastructure.kafka().bootstrap()));

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(INSTANCE::close));
        }
    }
}
