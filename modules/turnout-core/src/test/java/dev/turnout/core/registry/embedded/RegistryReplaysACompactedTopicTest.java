package dev.turnout.core.registry.embedded;

import static dev.turnout.core.registry.embedded.TestSchemas.canonical;
import static dev.turnout.core.registry.embedded.TestSchemas.field;
import static dev.turnout.core.registry.embedded.TestSchemas.optional;
import static dev.turnout.core.registry.embedded.TestSchemas.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.turnout.core.registry.embedded.StoreRecords.SchemaValue;
import dev.turnout.testkit.KafkaCluster;
import dev.turnout.testkit.SharedInfrastructure;

/**
 * Once Kafka has compacted the topic (a deleted version's live record gone, a race loser's record and tombstone gone), a
 * new instance still rebuilds exactly the state of the instance that wrote it.
 */
class RegistryReplaysACompactedTopicTest {

    static final String X1 = record("Item", field("id", "long"));
    static final String X2 = record("Item", field("id", "long"), optional("label"));
    static final String INTRUDER = record("Intruder", field("id", "string"));

    @Test
    void aNewInstanceRebuildsTheSameStateFromACompactedTopic() {
        KafkaCluster kafka = SharedInfrastructure.kafka();
        String topic = TestSchemas.uniqueTopic("compacted");
        // Roll segments quickly and clean as soon as anything is dirty, so compaction happens within the test.
        kafka.createTopic(topic, 1, Map.of("cleanup.policy", "compact", "segment.ms", "100",
            "min.cleanable.dirty.ratio", "0.01", "delete.retention.ms", "0"));
        EmbeddedSchemaRegistry.Settings settings = EmbeddedSchemaRegistry.Settings.of(kafka.bootstrap()).withTopic(topic);

        try (EmbeddedSchemaRegistry writer = EmbeddedSchemaRegistry.start(settings);
             KafkaProducer<String, String> loser = new KafkaProducer<>(kafka.clientProperties(), new StringSerializer(),
                 new StringSerializer())) {
            RegistryHttp http = new RegistryHttp(writer);
            int id1 = http.register("items-value", X1);
            int id2 = http.register("items-value", X2);
            // What a losing instance leaves behind: its record for a version and id it did not get, then its tombstone.
            SchemaValue lost = new SchemaValue("items-value", 2, id2, canonical(INTRUDER), false);
            loser.send(new ProducerRecord<>(topic, 0, lost.key().encode(), lost.encode()));
            loser.send(new ProducerRecord<>(topic, 0, lost.key().encode(), null));
            loser.flush();
            http.delete("/subjects/items-value");
            assertThat(http.register("items-value", X1)).isEqualTo(id1);
            http.setLevel("items-value", "FULL");
            String before = view(http);
            assertThat(before).contains("items-value/3 -> " + id1).doesNotContain("Intruder");

            // A compacted segment needs a newer one after it: each poll writes a record, which also rolls the segment.
            AtomicInteger rolls = new AtomicInteger();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                http.setLevel("roll", rolls.incrementAndGet() % 2 == 0 ? "NONE" : "FULL");
                assertThat(liveRecordsOfDeletedVersions(kafka, topic)).isZero();
            });
            assertThat(schemaRecordValues(kafka, topic)).noneMatch(value -> value != null && value.contains("Intruder"));

            try (EmbeddedSchemaRegistry replayed = EmbeddedSchemaRegistry.start(settings)) {
                String replayedView = view(new RegistryHttp(replayed));
                assertThat(replayedView).isEqualTo(view(http));
                assertThat(withoutRollLevel(replayedView)).isEqualTo(withoutRollLevel(before));
            }
        }
    }

    /** Everything a client can see: versions with ids and schemas, schemas by id, levels. */
    private static String view(RegistryHttp http) {
        Map<String, String> lines = new TreeMap<>();
        for (String subject : http.get("/subjects").strings()) {
            for (int version : http.get("/subjects/" + subject + "/versions").ints()) {
                var v = http.get("/subjects/" + subject + "/versions/" + version).body();
                lines.put(subject + "/" + version, v.path("id").asInt() + " " + v.path("schema").asText());
            }
            lines.put("config " + subject, http.get("/config/" + subject + "?defaultToGlobal=true").body()
                .path("compatibilityLevel").asText());
        }
        for (int id = 1; id <= 3; id++) {
            lines.put("id " + id, http.get("/schemas/ids/" + id).body().toString());
        }
        lines.put("config global", http.get("/config").body().path("compatibilityLevel").asText());
        lines.put("config items-value", http.get("/config/items-value").body().toString());
        lines.put("config roll", http.get("/config/roll").body().toString());
        StringBuilder out = new StringBuilder();
        lines.forEach((key, value) -> out.append(key).append(" -> ").append(value).append('\n'));
        return out.toString();
    }

    private static String withoutRollLevel(String view) {
        return view.replaceAll("(?m)^config roll -> .*\n", "");
    }

    /** How many live records remain for versions that were later soft-deleted (version 1 and 2 of items-value). */
    private static long liveRecordsOfDeletedVersions(KafkaCluster kafka, String topic) {
        return schemaRecordValues(kafka, topic).stream()
            .filter(value -> value != null && value.contains("\"subject\":\"items-value\"")
                && value.contains("\"deleted\":false")
                && (value.contains("\"version\":1,") || value.contains("\"version\":2,")))
            .count();
    }

    /** The values of every schema record in the topic now, tombstones as null. */
    private static List<String> schemaRecordValues(KafkaCluster kafka, String topic) {
        Map<String, Object> config = kafka.clientProperties();
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        TopicPartition partition = new TopicPartition(topic, 0);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
            new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key().contains("\"SCHEMA\"")) {
                        values.add(record.value());
                    }
                }
            }
        }
        return values;
    }
}
