package dev.turnout.app.cutover;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.turnout.app.cli.TurnoutCommand;
import dev.turnout.testkit.KafkaCluster;

/** Runs the CLI in-process and sets up the two clusters the cutover verbs work on. */
final class Cli {

    private Cli() {
    }

    record Result(int code, String out, String err) {
    }

    /** A command running on another thread; its output can be read while it runs. */
    record Running(StringWriter out, StringWriter err, java.util.concurrent.CompletableFuture<Result> result) {
    }

    static Running start(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var result = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            int code = TurnoutCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
            return new Result(code, out.toString(), err.toString());
        });
        return new Running(out, err, result);
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TurnoutCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** The two clusters of this JVM's CLI tests ("redpanda" and "kafka"), started on first use. */
    static KafkaCluster a() {
        return Holder.A;
    }

    static KafkaCluster b() {
        return Holder.B;
    }

    private static final class Holder {
        static final KafkaCluster A = KafkaCluster.builder().name("cli-redpanda").start();
        static final KafkaCluster B = KafkaCluster.builder().name("cli-kafka").start();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                A.close();
                B.close();
            }, "turnout-cli-test-clusters-stop"));
        }
    }

    /** A turnout.yaml naming the two clusters 'redpanda' and 'kafka'. */
    static Path config(Path dir) throws IOException {
        Path file = dir.resolve("turnout.yaml");
        Files.writeString(file, """
            pipeline: shop
            kafka:
              bootstrap: %s
            source:
              url: jdbc:postgresql://127.0.0.1:5432/app
              user: postgres
              tables: [public.users]
            target:
              url: jdbc:postgresql://127.0.0.1:5433/app
              user: postgres
            clusters:
              redpanda: { bootstrap: "%s" }
              kafka: { bootstrap: "%s" }
            """.formatted(a().bootstrap(), a().bootstrap(), b().bootstrap()), StandardCharsets.UTF_8);
        return file;
    }

    /** The same records, with the same turnout.id and timestamps, on both clusters; B first gets an aborted batch. */
    static void dualPublished(String topic, int partitions, int perPartition) throws Exception {
        a().createTopic(topic, partitions, Map.of());
        b().createTopic(topic, partitions, Map.of());
        long ts = System.currentTimeMillis() - 60_000;
        try (KafkaProducer<byte[], byte[]> pa = producer(a()); KafkaProducer<byte[], byte[]> pb = producer(b())) {
            for (int p = 0; p < partitions; p++) {
                for (int i = 0; i < perPartition; i++) {
                    String id = topic + "-" + p + "-" + i;
                    pa.send(record(topic, p, ts + i, id));
                    pb.send(record(topic, p, ts + i, id));
                }
            }
        }
    }

    static ProducerRecord<byte[], byte[]> record(String topic, int partition, long ts, String id) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, partition, ts, ("k-" + id).getBytes(StandardCharsets.UTF_8),
            ("v-" + id).getBytes(StandardCharsets.UTF_8));
        r.headers().add("turnout.id", id.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    static KafkaProducer<byte[], byte[]> producer(KafkaCluster c) {
        return new KafkaProducer<>(c.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    static void commit(KafkaCluster c, String group, Map<TopicPartition, Long> offsets) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        offsets.forEach((tp, o) -> commits.put(tp, new OffsetAndMetadata(o)));
        try (Admin admin = c.admin()) {
            admin.alterConsumerGroupOffsets(group, commits).all().get(30, TimeUnit.SECONDS);
        }
    }

    static Map<TopicPartition, Long> committed(KafkaCluster c, String group) throws Exception {
        try (Admin admin = c.admin()) {
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                .forEach((tp, om) -> out.put(tp, om.offset()));
            return out;
        }
    }

    static long end(KafkaCluster c, TopicPartition tp) throws Exception {
        try (Admin admin = c.admin()) {
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS).get(tp).offset();
        }
    }

    /** The values a consumer of the group reads from its committed offsets to the end of the partition. */
    static List<String> unconsumed(KafkaCluster c, String group, TopicPartition tp) throws Exception {
        long from = committed(c, group).getOrDefault(tp, 0L);
        Map<String, Object> props = new HashMap<>(c.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, from);
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
