package dev.turnout.transform.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.Struct;

import dev.turnout.capture.CaptureEngine;
import dev.turnout.capture.CaptureSettings;
import dev.turnout.core.avro.AvroConverter;
import dev.turnout.core.avro.AvroDeserializer;
import dev.turnout.core.avro.AvroSerdeConfig;
import dev.turnout.core.config.ConfigLoader;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TableId;
import dev.turnout.core.registry.embedded.EmbeddedSchemaRegistry;
import dev.turnout.schemas.apply.ApplyColumn;
import dev.turnout.schemas.apply.ApplyKey;
import dev.turnout.schemas.apply.ApplyRecord;
import dev.turnout.testkit.KafkaCluster;
import dev.turnout.testkit.Postgres;
import dev.turnout.testkit.SharedInfrastructure;
import dev.turnout.transform.CatalogReader;
import dev.turnout.transform.Mappings;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A fresh database and pipeline per test on the JVM's shared PostgreSQL, Kafka and schema registry, with real Debezium
 * capture feeding the CDC topics and readers for the apply and dead-letter topics.
 */
final class TopologyFixture implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    final String pipeline;
    final String database;
    final Postgres pg;
    final KafkaCluster kafka;
    final Path stateDir;
    private final List<AutoCloseable> running = new ArrayList<>();

    TopologyFixture(String name) {
        this.pipeline = name + "_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet();
        this.database = pipeline;
        this.pg = SharedInfrastructure.postgres();
        this.kafka = SharedInfrastructure.kafka();
        pg.createDatabase(database);
        try {
            // Under the build directory: Kafka Streams warns against the OS temp directory, which may be cleared.
            this.stateDir = Files.createDirectories(Path.of("target", "streams-state", pipeline)).toAbsolutePath();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
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

    /** The pipeline's config: this database's tables, two partitions per topic, and {@code mappings} (YAML, indented). */
    String configText(List<TableId> tables, String mappings) {
        return configText(tables, mappings, Map.of());
    }

    /** The same with client properties for every Kafka client. */
    String configText(List<TableId> tables, String mappings, Map<String, String> kafkaProperties) {
        StringBuilder properties = new StringBuilder();
        kafkaProperties.forEach((k, v) -> properties.append("    ").append(k).append(": \"").append(v).append("\"\n"));
        return "pipeline: " + pipeline + "\n"
            + "kafka:\n  bootstrap: " + kafka.bootstrap() + "\n"
            + (kafkaProperties.isEmpty() ? "" : "  properties:\n" + properties)
            + "schemaRegistry:\n  url: " + registryUrl() + "\n"
            + "source:\n  url: " + pg.jdbcUrl(database) + "\n  user: " + Postgres.USER + "\n"
            + "  tables: [" + String.join(", ", tables.stream().map(TableId::toString).toList()) + "]\n"
            + "target:\n  url: jdbc:postgresql://127.0.0.1:5433/unused\n  user: postgres\n"
            + "capture:\n  partitions: 2\n  heartbeat: 1s\n"
            + (mappings.isBlank() ? "" : "mappings:\n" + mappings);
    }

    LoadedConfig config(List<TableId> tables, String mappings) {
        return ConfigLoader.parse("turnout.yaml", configText(tables, mappings), Map.of());
    }

    Mappings compile(LoadedConfig config) {
        try (Connection c = pg.connect(database)) {
            return Mappings.compile(config, new CatalogReader(c));
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    CaptureEngine startCapture(LoadedConfig config) throws InterruptedException {
        CaptureEngine capture = CaptureEngine.start(CaptureSettings.from(config.config(), registryUrl()),
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        running.add(capture);
        if (!capture.awaitStreaming(TIMEOUT)) {
            throw new AssertionError("capture did not start streaming: " + capture.failure());
        }
        return capture;
    }

    TransformService startTransform(LoadedConfig config, MeterRegistry meters) throws InterruptedException {
        TransformService transform = new TransformService(
            TransformSettings.from(config.config(), registryUrl()).withStateDir(stateDir), compile(config), meters);
        running.add(0, transform);
        transform.start();
        if (!transform.awaitRunning(TIMEOUT)) {
            throw new AssertionError("transform did not reach RUNNING: " + transform.state() + " " + transform.failure());
        }
        return transform;
    }

    /** One apply record as read from its topic. */
    record Applied(int partition, long offset, ApplyKey key, ApplyRecord value) {

        /** The key as text: {@code col=value,...}. */
        String keyText() {
            return text(key.getColumns());
        }

        Map<String, Object> columns() {
            Map<String, Object> out = new LinkedHashMap<>();
            value.getColumns().forEach(c -> out.put(c.getName(), c.getValue()));
            return out;
        }

        String op() {
            return value.getOp().name();
        }

        long lsn() {
            return value.getPosition().getLsn();
        }

        static String text(List<ApplyColumn> columns) {
            return String.join(",", columns.stream().map(c -> c.getName() + "=" + c.getValue()).toList());
        }
    }

    /** A raw record with its headers as text. */
    record Raw(int partition, long offset, byte[] key, byte[] value, Map<String, String> headers) {
    }

    /** Every committed record of an apply topic, once {@code done} holds for them or the timeout passed. */
    List<Applied> readApply(String topic, Predicate<List<Applied>> done) {
        AvroDeserializer keys = new AvroDeserializer();
        AvroDeserializer values = new AvroDeserializer();
        Map<String, Object> serde = Map.of(AvroSerdeConfig.URL, registryUrl(), AvroSerdeConfig.SPECIFIC_AVRO_READER, true,
            AvroSerdeConfig.SPECIFIC_AVRO_TRUSTED_PACKAGES, "dev.turnout.schemas.apply");
        keys.configure(serde, true);
        values.configure(serde, false);
        try (keys; values) {
            List<Applied> out = new ArrayList<>();
            readUntil(topic, r -> out.add(new Applied(r.partition(), r.offset(),
                (ApplyKey) keys.deserialize(topic, r.key()), (ApplyRecord) values.deserialize(topic, r.value()))),
                () -> done.test(out));
            return out;
        }
    }

    /** Every committed record of a topic, raw, once {@code done} holds or the timeout passed. */
    List<Raw> readRaw(String topic, Predicate<List<Raw>> done) {
        List<Raw> out = new ArrayList<>();
        readUntil(topic, r -> {
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header h : r.headers()) {
                headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
            }
            out.add(new Raw(r.partition(), r.offset(), r.key(), r.value(), headers));
        }, () -> done.test(out));
        return out;
    }

    /** The decoded after image (or before, for a delete) of the CDC record at a partition and offset. */
    Struct cdcRow(String topic, int partition, long offset) {
        AvroConverter values = new AvroConverter();
        values.configure(Map.of(AvroSerdeConfig.URL, registryUrl()), false);
        List<Raw> all = readRaw(topic, records -> records.stream()
            .anyMatch(r -> r.partition() == partition && r.offset() == offset));
        Raw raw = all.stream().filter(r -> r.partition() == partition && r.offset() == offset).findFirst()
            .orElseThrow(() -> new AssertionError("no record at " + topic + "-" + partition + "@" + offset));
        Struct envelope = (Struct) values.toConnectData(topic, raw.value()).value();
        return envelope.getStruct("after") != null ? envelope.getStruct("after") : envelope.getStruct("before");
    }

    /**
     * Reads every partition from the beginning with read_committed; whenever it has caught up with the end of every
     * partition, stops if {@code done} holds. Gives up after the timeout (the caller's assertions then say what is
     * missing).
     */
    private void readUntil(String topic, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> sink,
                           java.util.function.BooleanSupplier done) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer =
                 new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            List<TopicPartition> partitions = new ArrayList<>();
            // The topic may not exist yet (the transform creates it when it starts).
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, p.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // Caught up means: at the end offsets of a moment during this read. Checking against ends re-read after
            // every poll would rarely succeed while a load keeps writing; a fresh target after each catch-up still
            // makes every "all records" predicate see what was committed when it last looked.
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(sink);
                Map<TopicPartition, Long> target = ends;
                if (partitions.stream().allMatch(p -> consumer.position(p) >= target.get(p))) {
                    if (done.getAsBoolean()) {
                        return;
                    }
                    ends = consumer.endOffsets(partitions);
                }
            }
        }
    }

    static String text(Object value) {
        if (value instanceof ByteBuffer b) {
            return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
        }
        return String.valueOf(value);
    }

    /** Stops the transform, then capture. */
    @Override
    public void close() {
        for (AutoCloseable c : running) {
            try {
                c.close();
            } catch (Exception e) {
                throw new AssertionError("could not stop " + c, e);
            }
        }
    }

    private static final class Registry {
        static final EmbeddedSchemaRegistry INSTANCE = EmbeddedSchemaRegistry.start(
            EmbeddedSchemaRegistry.Settings.of(SharedInfrastructure.kafka().bootstrap()));

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(INSTANCE::close));
        }
    }
}
