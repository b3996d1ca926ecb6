package dev.turnout.reconcile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.turnout.capture.CaptureEngine;
import dev.turnout.capture.CaptureSettings;
import dev.turnout.core.avro.AvroDeserializer;
import dev.turnout.core.avro.AvroSerdeConfig;
import dev.turnout.core.config.ConfigLoader;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.registry.embedded.EmbeddedSchemaRegistry;
import dev.turnout.reconcile.compare.Keys;
import dev.turnout.schemas.apply.ApplyKey;
import dev.turnout.schemas.reconcile.ReconcileStatus;
import dev.turnout.schemas.reconcile.ReconcileSummary;
import dev.turnout.testkit.KafkaCluster;
import dev.turnout.testkit.Postgres;
import dev.turnout.testkit.SharedInfrastructure;
import dev.turnout.transform.CatalogReader;
import dev.turnout.transform.Mappings;
import dev.turnout.transform.stream.TransformService;
import dev.turnout.transform.stream.TransformSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A source and a target database per test on the JVM's shared PostgreSQL, a pipeline on the shared Kafka and schema
 * registry, and the real capture, transform and reconciliation, plus readers of the reconcile topics. The target's rows
 * are written by the test itself (there is no applier here).
 */
final class PipelineFixture implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    final String pipeline;
    final String sourceDb;
    final String targetDb;
    final Postgres pg;
    final KafkaCluster kafka;
    final Path stateDir;
    private final List<AutoCloseable> running = new ArrayList<>();

    PipelineFixture(String name) {
        this.pipeline = name + "_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet();
        this.sourceDb = pipeline;
        this.targetDb = pipeline + "_t";
        this.pg = SharedInfrastructure.postgres();
        this.kafka = SharedInfrastructure.kafka();
        pg.createDatabase(sourceDb);
        pg.createDatabase(targetDb);
        try {
            this.stateDir = Files.createDirectories(Path.of("target", "streams-state", pipeline)).toAbsolutePath();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String registryUrl() {
        return Registry.INSTANCE.url();
    }

    void source(String... statements) {
        sql(sourceDb, statements);
    }

    void target(String... statements) {
        sql(targetDb, statements);
    }

    private void sql(String database, String... statements) {
        try (Connection c = pg.connect(database); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new AssertionError("SQL failed on " + database + ": " + e.getMessage(), e);
        }
    }

    long targetCount(String query) {
        try (Connection c = pg.connect(targetDb); Statement st = c.createStatement(); ResultSet r = st.executeQuery(query)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** The config text: this pipeline's databases, tables, mode, grace and {@code extra} YAML (mappings and more). */
    String configText(List<String> tables, String mode, String extra) {
        return "pipeline: " + pipeline + "\n"
            + "kafka:\n  bootstrap: " + kafka.bootstrap() + "\n"
            + "schemaRegistry:\n  url: " + registryUrl() + "\n"
            + "source:\n  url: " + pg.jdbcUrl(sourceDb) + "\n  user: " + Postgres.USER + "\n"
            + "  tables: [" + String.join(", ", tables) + "]\n"
            + "target:\n  url: " + pg.jdbcUrl(targetDb) + "\n  user: " + Postgres.USER + "\n"
            + "mode: " + mode + "\n"
            + "capture:\n  partitions: 2\n  heartbeat: 1s\n"
            + extra;
    }

    LoadedConfig config(List<String> tables, String mode, String extra) {
        return ConfigLoader.parse("turnout.yaml", configText(tables, mode, extra), Map.of());
    }

    Mappings compile(LoadedConfig config) {
        try (Connection c = pg.connect(sourceDb)) {
            return Mappings.compile(config, new CatalogReader(c));
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    CaptureEngine startCapture(LoadedConfig config) throws InterruptedException {
        CaptureEngine capture = CaptureEngine.start(CaptureSettings.from(config.config(), registryUrl()),
            new SimpleMeterRegistry());
        running.add(capture);
        if (!capture.awaitStreaming(TIMEOUT)) {
            throw new AssertionError("capture did not start streaming: " + capture.failure());
        }
        return capture;
    }

    TransformService startTransform(LoadedConfig config) throws InterruptedException {
        TransformService transform = new TransformService(
            TransformSettings.from(config.config(), registryUrl()).withStateDir(stateDir.resolve("transform")),
            compile(config), new SimpleMeterRegistry());
        running.add(0, transform);
        transform.start();
        if (!transform.awaitRunning(TIMEOUT)) {
            throw new AssertionError("transform did not reach RUNNING: " + transform.state() + " " + transform.failure());
        }
        return transform;
    }

    ReconcileService startReconcile(LoadedConfig config, MeterRegistry meters) throws InterruptedException {
        ReconcileService reconcile = new ReconcileService(
            ReconcileSettings.from(config.config(), registryUrl()).withStateDir(stateDir.resolve("reconcile")),
            compile(config), meters);
        running.add(0, reconcile);
        reconcile.start();
        if (!reconcile.awaitRunning(TIMEOUT)) {
            throw new AssertionError("reconciliation did not start: " + reconcile.state() + " " + reconcile.failure());
        }
        return reconcile;
    }

    /** The latest status of every key of a status topic (keys as text), read_committed; tombstones remove keys. */
    Map<String, ReconcileStatus> statuses(String topic) {
        Map<String, ReconcileStatus> out = new LinkedHashMap<>();
        AvroDeserializer keys = deserializer(true);
        AvroDeserializer values = deserializer(false);
        try (keys; values) {
            readAll(topic, r -> {
                ApplyKey key = (ApplyKey) keys.deserialize(topic, r.key());
                String text = Keys.text(key.getColumns());
                if (r.value() == null) {
                    out.remove(text);
                } else {
                    out.put(text, (ReconcileStatus) values.deserialize(topic, r.value()));
                }
            });
        }
        return out;
    }

    /** The latest summary of every table. */
    Map<String, ReconcileSummary> summaries(String topic) {
        Map<String, ReconcileSummary> out = new LinkedHashMap<>();
        AvroDeserializer values = deserializer(false);
        try (values) {
            readAll(topic, r -> out.put(new StringDeserializer().deserialize(topic, r.key()),
                (ReconcileSummary) values.deserialize(topic, r.value())));
        }
        return out;
    }

    private static AvroDeserializer deserializer(boolean isKey) {
        AvroDeserializer d = new AvroDeserializer();
        d.configure(Map.of(AvroSerdeConfig.URL, registryUrl(), AvroSerdeConfig.SPECIFIC_AVRO_READER, true,
            AvroSerdeConfig.SPECIFIC_AVRO_TRUSTED_PACKAGES, "dev.turnout.schemas.apply,dev.turnout.schemas.reconcile"),
            isKey);
        return d;
    }

    /** Every committed record of a topic up to its end now. */
    private void readAll(String topic, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer =
                 new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end within 30 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(sink);
            }
        }
    }

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
