package dev.turnout.capture;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.SchemaAndValue;

import dev.turnout.core.avro.AvroConverter;
import dev.turnout.core.config.Secret;
import dev.turnout.core.config.SnapshotMode;
import dev.turnout.core.config.TableId;
import dev.turnout.core.registry.embedded.EmbeddedSchemaRegistry;
import dev.turnout.testkit.KafkaCluster;
import dev.turnout.testkit.Postgres;
import dev.turnout.testkit.SharedInfrastructure;

/** A fresh database and pipeline name per test on the JVM's shared PostgreSQL, Kafka and registry. */
final class CaptureFixture {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    final String pipeline;
    final String database;
    final Postgres pg;
    final KafkaCluster kafka;

    CaptureFixture(String name) {
        this.pipeline = name + "_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet();
        this.database = pipeline;
        this.pg = SharedInfrastructure.postgres();
        this.kafka = SharedInfrastructure.kafka();
        pg.createDatabase(database);
    }

    static String registryUrl() {
        return Registry.INSTANCE.url();
    }

    void sql(String... statements) {
        try (Connection c = pg.connect(database); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new AssertionError("SQL failed: " + e.getMessage(), e);
        }
    }

    CaptureSettings settings(List<TableId> tables, SnapshotMode snapshot) {
        return settings(tables, snapshot, List.of());
    }

    CaptureSettings settings(List<TableId> tables, SnapshotMode snapshot, List<TableId> outbox) {
        return new CaptureSettings(pipeline, pg.jdbcUrl(database), Postgres.USER, Secret.of(""), tables, snapshot,
            kafka.bootstrap(), Map.of(), registryUrl(), 1, Duration.ofSeconds(1), outbox, "outbox.{aggregateType}");
    }

    /** Decoded (key, value) pairs of a topic in offset order per partition, read with read_committed. */
    List<Change> readChanges(String topic, int atLeast, Duration timeout) {
        return readChanges(topic, atLeast, timeout, Duration.ZERO);
    }

    /**
     * Reads until at least {@code atLeast} records arrived (or {@code timeout} passed), then goes on until nothing new
     * arrives for {@code quiet}, so records beyond the expected count (duplicates) are seen too.
     */
    List<Change> readChanges(String topic, int atLeast, Duration timeout, Duration quiet) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        AvroConverter keys = new AvroConverter();
        keys.configure(Map.of("schema.registry.url", registryUrl()), true);
        AvroConverter values = new AvroConverter();
        values.configure(Map.of("schema.registry.url", registryUrl()), false);
        List<Change> changes = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                 new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            long lastArrival = System.nanoTime();
            while (System.nanoTime() < deadline
                && (changes.size() < atLeast || System.nanoTime() - lastArrival < quiet.toNanos())) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    changes.add(new Change(r.partition(), r.offset(), keys.toConnectData(topic, r.key()),
                        values.toConnectData(topic, r.value())));
                    lastArrival = System.nanoTime();
                }
            }
        }
        return changes;
    }

    record Change(int partition, long offset, SchemaAndValue key, SchemaAndValue value) {
        org.apache.kafka.connect.data.Struct valueStruct() {
            return (org.apache.kafka.connect.data.Struct) value.value();
        }

        boolean tombstone() {
            return value.value() == null;
        }

        String op() {
            return tombstone() ? "tombstone" : valueStruct().getString("op");
        }
    }

    void dropSlot() {
        pg.dropReplicationSlots("turnout_" + pipeline);
    }

    private static final class Registry {
        static final EmbeddedSchemaRegistry INSTANCE = EmbeddedSchemaRegistry.start(
            EmbeddedSchemaRegistry.Settings.of(SharedInfrastructure.kafka().bootstrap()));

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(INSTANCE::close));
        }
    }
}
