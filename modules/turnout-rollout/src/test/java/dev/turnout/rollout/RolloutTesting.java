package dev.turnout.rollout;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.turnout.core.TopicNames;
import dev.turnout.core.avro.AvroSerializer;
import dev.turnout.core.config.ConfigLoader;
import dev.turnout.core.config.TurnoutConfig.RolloutConfig;
import dev.turnout.core.registry.RegistryClientConfig;
import dev.turnout.core.registry.embedded.EmbeddedSchemaRegistry;
import dev.turnout.schemas.reconcile.ReconcileSummary;
import dev.turnout.testkit.KafkaCluster;
import dev.turnout.testkit.SharedInfrastructure;

/** What the rollout tests share: the JVM's Kafka and a registry on it, configs, unique names, planted summaries. */
final class RolloutTesting {

    private RolloutTesting() {
    }

    static KafkaCluster kafka() {
        return SharedInfrastructure.kafka();
    }

    static String registryUrl() {
        return Holder.REGISTRY.url();
    }

    static RolloutSettings settings() {
        return RolloutSettings.of(kafka().bootstrap(), registryUrl());
    }

    /** A name no other test uses: rollouts share one state topic, pipelines share one cluster. */
    static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The rollout section of a config, as the loader reads it (defaults filled in). */
    static RolloutConfig config(String rolloutSection) {
        String yaml = """
            pipeline: shop
            kafka:
              bootstrap: 127.0.0.1:9092
            source:
              url: jdbc:postgresql://127.0.0.1:5432/app
              user: postgres
              tables: [public.users]
            target:
              url: jdbc:postgresql://127.0.0.1:5433/app
              user: postgres
            """ + rolloutSection;
        return ConfigLoader.parse("turnout.yaml", yaml, Map.of()).config().rollout();
    }

    static RolloutConfig defaults() {
        return config("");
    }

    /** Writes a reconciliation summary of {@code table}, as reconciliation would, to the pipeline's summary topic. */
    static void plantSummary(String pipeline, String table, long match, long mismatch, long missing,
                             Long oldestUnresolvedAgeMs) throws Exception {
        String topic = TopicNames.reconcileSummary(pipeline);
        kafka().createTopic(topic, 1, Map.of("cleanup.policy", "compact"));
        ReconcileSummary summary = ReconcileSummary.newBuilder().setTable(table).setMatch(match).setPending(0)
            .setMismatch(mismatch).setMissing(missing).setExtra(0).setOldestUnresolvedAgeMs(oldestUnresolvedAgeMs)
            .setSourceLsn(123_456L).setEmittedAt(Instant.now()).build();
        produce(topic, table, summary);
    }

    /** Sends one Avro value (Confluent wire format, through the test registry) and waits for the broker. */
    static void produce(String topic, String key, Object value) throws Exception {
        Map<String, Object> serde = new HashMap<>();
        serde.put(RegistryClientConfig.URL, registryUrl());
        AvroSerializer serializer = new AvroSerializer();
        serializer.configure(serde, false);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(kafka().clientProperties(),
                new StringSerializer(), (org.apache.kafka.common.serialization.Serializer<Object>) serializer)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static final class Holder {
        static final EmbeddedSchemaRegistry REGISTRY = EmbeddedSchemaRegistry.start(
            EmbeddedSchemaRegistry.Settings.of(SharedInfrastructure.kafka().bootstrap()));

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(REGISTRY::close, "turnout-rollout-test-registry-stop"));
        }
    }
}
