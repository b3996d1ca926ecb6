package dev.turnout.apply;

import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.turnout.core.TopicNames;
import dev.turnout.core.avro.AvroSerializer;
import dev.turnout.core.config.Secret;
import dev.turnout.core.config.TableId;
import dev.turnout.core.registry.RegistryClientConfig;
import dev.turnout.core.registry.embedded.EmbeddedSchemaRegistry;
import dev.turnout.schemas.apply.ApplyColumn;
import dev.turnout.schemas.apply.ApplyKey;
import dev.turnout.schemas.apply.ApplyOp;
import dev.turnout.schemas.apply.ApplyRecord;
import dev.turnout.schemas.apply.DecimalValue;
import dev.turnout.schemas.apply.Origin;
import dev.turnout.schemas.apply.SourcePosition;
import dev.turnout.schemas.apply.TimestampValue;
import dev.turnout.schemas.apply.Unavailable;
import dev.turnout.testkit.KafkaCluster;
import dev.turnout.testkit.Postgres;
import dev.turnout.testkit.SharedInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A fresh target database and pipeline per test on the JVM's shared PostgreSQL, Kafka and embedded registry, and the
 * means to produce apply records as the transform topology does: Avro in the Confluent wire format through core's
 * serializer.
 */
final class ApplyFixture implements AutoCloseable {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    final String pipeline;
    final String database;
    final Postgres pg;
    final KafkaCluster kafka;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final KafkaProducer<Object, Object> producer;
    private final AtomicInteger failedSends = new AtomicInteger();

    ApplyFixture(String name) {
        this(name, SharedInfrastructure.postgres());
    }

    /** On a PostgreSQL of the test's own, for tests that stop it. */
    ApplyFixture(String name, Postgres pg) {
        this.pipeline = name + "_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet();
        this.database = pipeline;
        this.pg = pg;
        this.kafka = SharedInfrastructure.kafka();
        pg.createDatabase(database);
        this.producer = producer(null);
    }

    static String registryUrl() {
        return Registry.INSTANCE.url();
    }

    /** A producer of apply records; transactional when {@code transactionalId} is given. */
    KafkaProducer<Object, Object> producer(String transactionalId) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        if (transactionalId != null) {
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        AvroSerializer keys = new AvroSerializer();
        keys.configure(Map.of(RegistryClientConfig.URL, registryUrl()), true);
        AvroSerializer values = new AvroSerializer();
        values.configure(Map.of(RegistryClientConfig.URL, registryUrl()), false);
        return new KafkaProducer<>(props, keys, values);
    }

    String topic(TableId table) {
        return TopicNames.apply(pipeline, table);
    }

    void createTopic(TableId table, int partitions) {
        kafka.createTopic(topic(table), partitions, Map.of("cleanup.policy", "compact"));
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

    /** Rows of a query as lists of column text, in the query's order. */
    List<List<String>> rows(String query) {
        List<List<String>> out = new ArrayList<>();
        try (Connection c = pg.connect(database); Statement st = c.createStatement(); ResultSet r = st.executeQuery(query)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(r.getString(i));
                }
                out.add(row);
            }
        } catch (SQLException e) {
            throw new AssertionError("Query failed: " + e.getMessage(), e);
        }
        return out;
    }

    long count(String query) {
        return Long.parseLong(rows(query).get(0).get(0));
    }

    ApplierSettings settings(List<TableId> tables, int batchSize, int parallelism) {
        return new ApplierSettings(pipeline, pg.jdbcUrl(database), Postgres.USER, Secret.of(""), tables,
            kafka.bootstrap(), Map.of(), registryUrl(), batchSize, parallelism, Duration.ofHours(1),
            Duration.ofMillis(200));
    }

    Applier start(List<TableId> tables) {
        return Applier.start(settings(tables, 500, 4), meters);
    }

    /** Sends and waits for the broker's acknowledgement; returns where the record landed. */
    RecordMetadata send(TableId table, ApplyKey key, ApplyRecord value) {
        try {
            return producer.send(new ProducerRecord<>(topic(table), key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("Could not produce to " + topic(table), e);
        }
    }

    /** Sends without waiting; {@link #flush()} waits for everything sent. Order per partition is kept. */
    void produce(TableId table, ApplyKey key, ApplyRecord value) {
        producer.send(new ProducerRecord<>(topic(table), key, value), (m, e) -> {
            if (e != null) {
                failedSends.incrementAndGet();
            }
        });
    }

    void flush() {
        producer.flush();
        if (failedSends.get() > 0) {
            throw new AssertionError(failedSends.get() + " sends failed");
        }
    }

    /** Sends raw bytes, for records the applier cannot decode. */
    RecordMetadata sendRaw(TableId table, int partition, byte[] key, byte[] value) {
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(kafka.clientProperties(), new ByteArraySerializer(),
            new ByteArraySerializer())) {
            return raw.send(new ProducerRecord<>(topic(table), partition, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("Could not produce to " + topic(table), e);
        }
    }

    /** The end offset of every partition of a table's apply topic. */
    Map<Integer, Long> endOffsets(TableId table) {
        try (Admin admin = kafka.admin()) {
            String topic = topic(table);
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                .partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<Integer, Long> out = new TreeMap<>();
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, o) -> out.put(tp.partition(), o.offset()));
            return out;
        } catch (Exception e) {
            throw new AssertionError("Could not read the end offsets of " + topic(table), e);
        }
    }

    /** The next offsets the target holds for a table's partitions (turnout_offsets). */
    Map<Integer, Long> storedOffsets(TableId table) {
        Map<Integer, Long> out = new LinkedHashMap<>();
        for (List<String> row : rows("SELECT partition, next_offset FROM turnout_offsets WHERE topic = '" + topic(table)
            + "' ORDER BY partition")) {
            out.put(Integer.parseInt(row.get(0)), Long.parseLong(row.get(1)));
        }
        return out;
    }

    /** Waits until the target holds offsets up to the end of every partition of the tables' topics. */
    void awaitApplied(TableId... tables) {
        await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> {
            for (TableId t : tables) {
                Map<Integer, Long> end = endOffsets(t);
                Map<Integer, Long> stored = storedOffsets(t);
                for (Map.Entry<Integer, Long> e : end.entrySet()) {
                    if (e.getValue() > 0 && stored.getOrDefault(e.getKey(), 0L) < e.getValue()) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    /** Every record of the pipeline's dead-letter topic, read_committed, until {@code atLeast} arrived. */
    List<ConsumerRecord<byte[], byte[]>> deadLetters(int atLeast) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        String topic = TopicNames.deadLetters(pipeline);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                tps.add(new TopicPartition(topic, p.partition()));
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (out.size() < atLeast && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // Anything beyond the expected count is read too, so a test can see duplicates.
            c.poll(Duration.ofMillis(500)).forEach(out::add);
        }
        return out;
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    double gauge(String name, String... tags) {
        var g = meters.find(name).tags(tags).gauge();
        return g == null ? Double.NaN : g.value();
    }

    double counter(String name, String... tags) {
        var c = meters.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    // --- building apply records as the transform topology does ---

    static ApplyColumn col(String name, Object value) {
        return new ApplyColumn(name, value);
    }

    static ApplyKey key(ApplyColumn... columns) {
        return new ApplyKey(List.of(columns));
    }

    static ApplyRecord upsert(long lsn, ApplyColumn... columns) {
        return record(ApplyOp.UPSERT, lsn, List.of(columns));
    }

    static ApplyRecord delete(long lsn) {
        return record(ApplyOp.DELETE, lsn, List.of());
    }

    private static ApplyRecord record(ApplyOp op, long lsn, List<ApplyColumn> columns) {
        return new ApplyRecord(op, columns, new SourcePosition(lsn, lsn / 10, Instant.now()),
            new Origin("source.public.t", 0, lsn));
    }

    static DecimalValue decimal(String text) {
        BigDecimal d = new BigDecimal(text);
        return new DecimalValue(ByteBuffer.wrap(d.unscaledValue().toByteArray()), d.scale());
    }

    static TimestampValue timestamp(Instant instant) {
        return new TimestampValue(instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000L);
    }

    static Unavailable unavailable() {
        return new Unavailable();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    private static final class Registry {
        static final EmbeddedSchemaRegistry INSTANCE = EmbeddedSchemaRegistry.start(
            EmbeddedSchemaRegistry.Settings.of(SharedInfrastructure.kafka().bootstrap()));

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(INSTANCE::close, "turnout-test-registry-stop"));
        }
    }
}
