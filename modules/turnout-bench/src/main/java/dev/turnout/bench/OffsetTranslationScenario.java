package dev.turnout.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.turnout.cutover.ClusterConnection;
import dev.turnout.cutover.OffsetTranslator;
import dev.turnout.cutover.TranslationOptions;
import dev.turnout.cutover.TranslationPlan;
import dev.turnout.cutover.TurnoutHeaders;
import dev.turnout.testkit.KafkaCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Offset translation of one consumer group over many partitions, between two Kafka clusters of their own (a "Redpanda"
 * source and a "Kafka" target): the same records (same keys, values, timestamps and {@code turnout.id} headers, as the
 * dual publisher writes them) on both, the group committed halfway on every source partition, then
 * {@link OffsetTranslator#translateCurrent} timed: snapshot of the group, translation of every partition, plan.
 */
final class OffsetTranslationScenario implements Scenario {

    private static final String TOPIC = "bench.translate";
    private static final String GROUP = "bench-translate-group";

    @Override
    public String name() {
        return "translation";
    }

    @Override
    public List<Figure> run(BenchEnvironment env) throws Exception {
        int partitions = env.sizes().partitions();
        int perPartition = env.sizes().recordsPerPartition();
        try (KafkaCluster source = KafkaCluster.builder().name("bench-redpanda").start();
             KafkaCluster target = KafkaCluster.builder().name("bench-kafka").start()) {
            source.createTopic(TOPIC, partitions, Map.of());
            target.createTopic(TOPIC, partitions, Map.of());
            try (KafkaProducer<byte[], byte[]> a = producer(source); KafkaProducer<byte[], byte[]> b = producer(target)) {
                long timestamp = System.currentTimeMillis();
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (int p = 0; p < partitions; p++) {
                    for (int i = 0; i < perPartition; i++) {
                        String id = UUID.randomUUID().toString();
                        sent.add(a.send(record(p, timestamp + i, i, id)));
                        sent.add(b.send(record(p, timestamp + i, i, id)));
                    }
                }
                a.flush();
                b.flush();
                // A write that failed would leave the clusters different and the translation rightly unresolved: say
                // that the set-up failed, not the translation.
                for (Future<RecordMetadata> f : sent) {
                    try {
                        f.get(2, TimeUnit.MINUTES);
                    } catch (ExecutionException e) {
                        throw new IllegalStateException("Setting up the translation benchmark failed: a record could "
                            + "not be written to both clusters: " + e.getCause(), e.getCause());
                    }
                }
            }
            Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                committed.put(new TopicPartition(TOPIC, p), new OffsetAndMetadata(perPartition / 2));
            }
            try (Admin admin = source.admin()) {
                admin.alterConsumerGroupOffsets(GROUP, committed).all().get(2, TimeUnit.MINUTES);
            }
            TranslationPlan plan;
            long started = System.nanoTime();
            try (OffsetTranslator translator = new OffsetTranslator(connection(source), connection(target),
                TranslationOptions.DEFAULTS)) {
                plan = translator.translateCurrent(GROUP);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (plan.summary().exact() != partitions) {
                throw new IllegalStateException("Translation of " + partitions + " partitions gave " + plan.summary()
                    + "; every partition should be exact");
            }
            return List.of(Figure.atMost("translation", "group." + partitions + ".partitions", seconds, "s", 5,
                "snapshot + translate, " + perPartition + " records/partition, all " + plan.summary().exact()
                    + " exact"));
        }
    }

    private static ClusterConnection connection(KafkaCluster cluster) {
        return new ClusterConnection(cluster.name(), cluster.bootstrap(), Map.of());
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaCluster cluster) {
        Map<String, Object> props = new HashMap<>(cluster.clientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static ProducerRecord<byte[], byte[]> record(int partition, long timestamp, int i, String id) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(TOPIC, partition, timestamp,
            ("key-" + i).getBytes(StandardCharsets.UTF_8), ("value-" + partition + "-" + i).getBytes(StandardCharsets.UTF_8));
        r.headers().add(TurnoutHeaders.ID, id.getBytes(StandardCharsets.UTF_8));
        return r;
    }
}
