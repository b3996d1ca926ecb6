package dev.turnout.cutover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.turnout.cutover.TestRecords.Seen;
import dev.turnout.cutover.TranslationPlan.OneSidedRecord;
import dev.turnout.cutover.TranslationPlan.PartitionPlan;
import dev.turnout.testkit.KafkaCluster;

/** Done-when 2: records present on one side only are reported in the plan and stop the cutover, never skipped. */
class MissingRecordsTest {

    static final KafkaCluster A = TwoClusters.a();
    static final KafkaCluster B = TwoClusters.b();

    @TempDir
    Path journal;

    static void sendAll(DualPublisher<String, String> p, String topic, String prefix, int count) throws Exception {
        List<CompletableFuture<PublishResult>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(p.send(new ProducerRecord<>(topic, 0, null, "k" + i, prefix + i)));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void recordsMissingOnEitherSideAreListedInThePlanAndTheCutoverRefuses() throws Exception {
        String topic = "missing-records";
        String group = "missing-records-group";
        A.createTopic(topic, 1, Map.of());
        B.createTopic(topic, 1, Map.of());
        try (DualPublisher<String, String> p = DualPublisher.builder(new StringSerializer(), new StringSerializer())
                .name("missing").primary(A.clientProperties()).secondary(B.clientProperties()).journal(journal).build()) {
            sendAll(p, topic, "before-", 40);
            assertThat(p.awaitSecondary(Duration.ofSeconds(30))).isTrue();
            // Another writer bypasses the publisher on each side: 5 records only A has, 3 only B has.
            try (KafkaProducer<byte[], byte[]> onlyA = TestRecords.producer(A);
                 KafkaProducer<byte[], byte[]> onlyB = TestRecords.producer(B)) {
                for (int i = 0; i < 5; i++) {
                    onlyA.send(TestRecords.record(topic, 0, System.currentTimeMillis(), "x", "only-on-a-" + i, null));
                }
                for (int i = 0; i < 3; i++) {
                    onlyB.send(TestRecords.record(topic, 0, System.currentTimeMillis(), "y", "only-on-b-" + i, null));
                }
            }
            sendAll(p, topic, "after-", 20);
            assertThat(p.awaitSecondary(Duration.ofSeconds(30))).isTrue();
            // The secondary fails while its journal is paused: 10 records are on A and waiting for B.
            p.pauseSecondary();
            sendAll(p, topic, "journaled-", 10);
            TestRecords.commit(A, group, Map.of(new TopicPartition(topic, 0), 30L));

            TranslationPlan plan;
            try (OffsetTranslator t = new OffsetTranslator(TwoClusters.connection(A), TwoClusters.connection(B),
                    TranslationOptions.DEFAULTS)) {
                plan = t.translateCurrent(group);
            }
            PartitionPlan partition = plan.partitions().get(0);
            assertThat(partition.status()).isEqualTo(PartitionStatus.EXACT);
            List<Seen> onA = TestRecords.readAll(A, topic, 0);
            // The plan lists what the windows around the cut show; the full check below counts the whole suffix.
            assertThat(partition.onlySource()).extracting(OneSidedRecord::offset).containsExactlyElementsOf(
                onA.stream().filter(s -> s.value().startsWith("only-on-a-")).map(Seen::offset).toList());
            assertThat(partition.onlySource()).noneMatch(OneSidedRecord::beforeCut);
            assertThat(partition.onlyTarget()).hasSize(3).noneMatch(OneSidedRecord::beforeCut);
            assertThat(plan.summary().unconsumedMissingOnTarget()).isEqualTo(5);
            assertThat(partition.notes()).anyMatch(n -> n.contains("5 unconsumed source record(s) have no counterpart"));

            try (PlanVerifier v = new PlanVerifier(TwoClusters.connection(A), TwoClusters.connection(B),
                    TranslationOptions.DEFAULTS)) {
                VerificationReport full = v.verify(plan, true);
                assertThat(full.partitions().get(0).lost()).isEqualTo(15);
                assertThat(full.partitions().get(0).lostRecords()).extracting(RecordEvidence::offset)
                    .containsExactlyElementsOf(onA.stream().filter(s -> !s.value().startsWith("before-")
                        && !s.value().startsWith("after-")).map(Seen::offset).toList());
                assertThat(full.partitions().get(0).redelivered()).isZero();
                assertThat(full.partitions().get(0).onlyOnTarget()).isEqualTo(3);
                assertThat(full.ok()).isFalse();
            }
            Cutover.Result refused = Cutover.run(TwoClusters.connection(A), TwoClusters.connection(B),
                new Cutover.Options(group, Duration.ofSeconds(5), true, false, true, Duration.ZERO, null,
                    TranslationOptions.DEFAULTS), line -> { });
            assertThat(refused.outcome()).isEqualTo(Cutover.Outcome.REFUSED);
            assertThat(refused.message()).contains("would lose 15");
            assertThat(TestRecords.committed(B, group)).as("nothing committed on B").isEmpty();

            // Once the journal drains only the records that never went through the publisher remain missing.
            p.resumeSecondary();
            await().atMost(Duration.ofSeconds(30)).until(() -> p.pending() == 0);
            try (OffsetTranslator t = new OffsetTranslator(TwoClusters.connection(A), TwoClusters.connection(B),
                    TranslationOptions.DEFAULTS)) {
                TranslationPlan drained = t.translateCurrent(group);
                assertThat(drained.summary().unconsumedMissingOnTarget()).isEqualTo(5);
                try (PlanVerifier v = new PlanVerifier(TwoClusters.connection(A), TwoClusters.connection(B),
                        TranslationOptions.DEFAULTS)) {
                    assertThat(v.verify(drained, true).lost()).isEqualTo(5);
                }
            }
        }
    }
}
