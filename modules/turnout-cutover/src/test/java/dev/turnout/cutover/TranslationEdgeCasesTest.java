package dev.turnout.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.avro.Schema;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.turnout.core.registry.RestSchemaRegistryClient;
import dev.turnout.core.registry.embedded.EmbeddedSchemaRegistry;


import dev.turnout.cutover.TranslationPlan.PartitionPlan;
import dev.turnout.testkit.KafkaCluster;

class TranslationEdgeCasesTest {

    static final KafkaCluster A = TwoClusters.a();
    static final KafkaCluster B = TwoClusters.b();

    @TempDir
    Path dir;

    static PartitionPlan translate(String group, ClusterConnection from, ClusterConnection to) {
        try (OffsetTranslator t = new OffsetTranslator(from, to, TranslationOptions.DEFAULTS)) {
            return t.translateCurrent(group).partitions().get(0);
        }
    }

    static void produceBoth(String topic, int count, boolean copiesOnB) throws Exception {
        long ts = System.currentTimeMillis() - 10_000;
        try (KafkaProducer<byte[], byte[]> pa = TestRecords.producer(A); KafkaProducer<byte[], byte[]> pb = TestRecords.producer(B)) {
            for (int i = 0; i < count; i++) {
                String id = copiesOnB ? null : topic + "-" + i;
                pa.send(TestRecords.record(topic, 0, ts + i, "k" + i, "v" + i, id));
                ProducerRecord<byte[], byte[]> b = TestRecords.record(topic, 0, ts + i, "k" + i, "v" + i, id);
                if (copiesOnB) {
                    b.headers().add(TurnoutHeaders.SRC, new SourceRef(A.clusterId(), topic, 0, i).toHeader());
                }
                pb.send(b);
            }
        }
    }

    /** Deletes A's records below {@code offset}, as retention would. */
    static void deleteOnA(String topic, long offset) throws Exception {
        try (Admin admin = A.admin()) {
            admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(offset))).all()
                .get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aGroupBehindTheSourceLogStartIsUnresolvedBecauseItsRecordsAreGone() throws Exception {
        String topic = "edge-behind-retention";
        A.createTopic(topic, 1, Map.of());
        B.createTopic(topic, 1, Map.of());
        produceBoth(topic, 100, false);
        deleteOnA(topic, 50);
        TestRecords.commit(A, "edge-behind", Map.of(new TopicPartition(topic, 0), 20L));
        PartitionPlan p = translate("edge-behind", TwoClusters.connection(A), TwoClusters.connection(B));
        assertThat(p.status()).isEqualTo(PartitionStatus.UNRESOLVED);
        assertThat(p.targetOffset()).isNull();
        assertThat(p.reason()).isEqualTo("source records 20..49 are gone (retention or deletion moved the log start to 50) "
            + "and the group had not consumed them");
    }

    @Test
    void consumedSourceRecordsGoneByRetentionButStillOnTheTargetAreUnresolvedUnlessCopiesSayWhereTheyCameFrom()
            throws Exception {
        String topic = "edge-gone";
        A.createTopic(topic, 1, Map.of());
        B.createTopic(topic, 1, Map.of());
        produceBoth(topic, 100, false);
        deleteOnA(topic, 50);
        TestRecords.commit(A, "edge-gone", Map.of(new TopicPartition(topic, 0), 50L));
        PartitionPlan p = translate("edge-gone", TwoClusters.connection(A), TwoClusters.connection(B));
        assertThat(p.status()).isEqualTo(PartitionStatus.UNRESOLVED);
        assertThat(p.reason()).startsWith("source records before offset 50 are gone (retention or deletion) and 50 target "
            + "records before the first counterpart of an unconsumed record cannot be placed");

        String copied = "edge-gone-copied";
        A.createTopic(copied, 1, Map.of());
        B.createTopic(copied, 1, Map.of());
        produceBoth(copied, 100, true);
        deleteOnA(copied, 50);
        TestRecords.commit(A, "edge-gone-copied", Map.of(new TopicPartition(copied, 0), 50L));
        PartitionPlan c = translate("edge-gone-copied", TwoClusters.connection(A), TwoClusters.connection(B));
        assertThat(c.status()).as(c.reason()).isEqualTo(PartitionStatus.EXACT);
        assertThat(c.targetOffset()).isEqualTo(50L);
        assertThat(c.matchedBy()).isEqualTo("turnout.src");
    }

    static byte[] framed(int schemaId, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(5 + b.length).put((byte) 0).putInt(schemaId).put(b).array();
    }

    @Test
    void valuesFramedByDifferentRegistriesAreComparedBySchemaContentNotById() throws Exception {
        Schema schema = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"Payment\",\"fields\":[{\"name\":\"amount\",\"type\":\"long\"}]}");
        String topic = "edge-registries";
        A.createTopic(topic, 1, Map.of());
        B.createTopic(topic, 1, Map.of());
        // Each cluster has its own real registry, as two separate estates would.
        try (EmbeddedSchemaRegistry registryA = EmbeddedSchemaRegistry.start(
                 EmbeddedSchemaRegistry.Settings.of(A.bootstrap()).withTopic("_schemas_edge_a"));
             EmbeddedSchemaRegistry registryB = EmbeddedSchemaRegistry.start(
                 EmbeddedSchemaRegistry.Settings.of(B.bootstrap()).withTopic("_schemas_edge_b"));
             RestSchemaRegistryClient clientA = RestSchemaRegistryClient.forUrl(registryA.url());
             RestSchemaRegistryClient clientB = RestSchemaRegistryClient.forUrl(registryB.url())) {
            // B's registry saw other schemas first, so the same schema has another id there.
            clientB.register("other-a-value", Schema.create(Schema.Type.STRING));
            clientB.register("other-b-value", Schema.create(Schema.Type.LONG));
            int idA = clientA.register(topic + "-value", schema);
            int idB = clientB.register(topic + "-value", schema);
            assertThat(idA).isNotEqualTo(idB);

            long ts = System.currentTimeMillis() - 5_000;
            try (KafkaProducer<byte[], byte[]> pa = TestRecords.producer(A);
                 KafkaProducer<byte[], byte[]> pb = TestRecords.producer(B)) {
                for (int i = 0; i < 60; i++) {
                    byte[] key = ("payment-" + i).getBytes(StandardCharsets.UTF_8);
                    pa.send(new ProducerRecord<>(topic, 0, ts + i, key, framed(idA, "body-" + i)));
                    pb.send(new ProducerRecord<>(topic, 0, ts + i, key, framed(idB, "body-" + i)));
                }
            }
            TestRecords.commit(A, "edge-registries", Map.of(new TopicPartition(topic, 0), 30L));

            ClusterConnection a = new ClusterConnection("a", A.bootstrap(), Map.of("schema.registry.url", registryA.url()));
            ClusterConnection b = new ClusterConnection("b", B.bootstrap(), Map.of("schema.registry.url", registryB.url()));
            PartitionPlan withRegistries = translate("edge-registries", a, b);
            assertThat(withRegistries.status()).as(withRegistries.reason()).isEqualTo(PartitionStatus.EXACT);
            assertThat(withRegistries.targetOffset()).isEqualTo(30L);
            assertThat(withRegistries.matchedBy()).isEqualTo("fingerprint");
            assertThat(withRegistries.evidence().lastConsumed().source().fingerprint())
                .isEqualTo(withRegistries.evidence().lastConsumed().target().fingerprint());
        }
        PartitionPlan byBytes = translate("edge-registries", TwoClusters.connection(A), TwoClusters.connection(B));
        assertThat(byBytes.status()).as("registry ids differ, so the bytes never match").isEqualTo(PartitionStatus.UNRESOLVED);
    }

    @Test
    void aPlanFileIsACertificateThatVerifiesAndATamperedOneDoesNot() throws Exception {
        String topic = "edge-certificate";
        A.createTopic(topic, 1, Map.of());
        B.createTopic(topic, 1, Map.of());
        produceBoth(topic, 80, false);
        TestRecords.commit(A, "edge-certificate", Map.of(new TopicPartition(topic, 0), 33L));
        TranslationPlan plan;
        try (OffsetTranslator t = new OffsetTranslator(TwoClusters.connection(A), TwoClusters.connection(B),
                TranslationOptions.DEFAULTS)) {
            plan = t.translateCurrent("edge-certificate");
        }
        Path file = dir.resolve("plan.json");
        OffsetTranslator.writePlan(plan, file);
        TranslationPlan read = OffsetTranslator.readPlan(file);
        assertThat(read).isEqualTo(plan);
        PartitionPlan p = read.partitions().get(0);
        List<PartitionPlan> tampered = new ArrayList<>(List.of(new PartitionPlan(p.topic(), p.partition(), p.sourceOffset(),
            p.targetOffset() + 1, p.status(), p.reason(), p.matchedBy(), p.evidence(), p.onlySource(), p.onlyTarget(),
            p.notes())));
        TranslationPlan forged = new TranslationPlan(read.format(), read.id(), read.group(), read.createdAt(), read.source(),
            read.target(), read.snapshotId(), read.sourceHasCommits(), read.summary(), tampered, read.clearOnTarget());
        try (PlanVerifier v = new PlanVerifier(TwoClusters.connection(A), TwoClusters.connection(B),
                TranslationOptions.DEFAULTS)) {
            VerificationReport ok = v.verify(read, true);
            assertThat(ok.ok()).as(ok.toString()).isTrue();
            assertThat(ok.partitions().get(0).lost()).isZero();
            assertThat(ok.partitions().get(0).redelivered()).isZero();
            VerificationReport bad = v.verify(forged, true);
            assertThat(bad.ok()).isFalse();
            assertThat(bad.partitions().get(0).problems()).singleElement().asString()
                .contains("the clusters now give target offset 33, the plan says 34");
            assertThat(bad.partitions().get(0).lost()).isEqualTo(1);
        }
    }
}
