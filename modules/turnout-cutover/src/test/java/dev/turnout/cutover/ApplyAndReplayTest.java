package dev.turnout.cutover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.turnout.cutover.TestRecords.Seen;
import dev.turnout.testkit.KafkaCluster;

/** Done-when 4: apply refuses an active group; replay to a snapshot, a time and a shift lands on ground truth. */
class ApplyAndReplayTest {

    static final KafkaCluster A = TwoClusters.a();
    static final KafkaCluster B = TwoClusters.b();
    static final String TOPIC = "replay-events";
    static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    /** Record i has timestamp BASE + i seconds, on both clusters; B has 10 aborted records first, so offsets differ. */
    static final long BASE = System.currentTimeMillis() - 3_600_000;

    @TempDir
    Path dir;

    @BeforeAll
    static void records() throws Exception {
        A.createTopic(TOPIC, 1, Map.of());
        B.createTopic(TOPIC, 1, Map.of());
        try (KafkaProducer<byte[], byte[]> tx = TestRecords.transactionalProducer(B, "replay-shift")) {
            tx.beginTransaction();
            for (int i = 0; i < 10; i++) {
                tx.send(TestRecords.record(TOPIC, 0, BASE, "x", "aborted", null));
            }
            // Flushed first: unsent records would be dropped by the abort instead of written as aborted.
            tx.flush();
            tx.abortTransaction();
        }
        try (KafkaProducer<byte[], byte[]> pa = TestRecords.producer(A); KafkaProducer<byte[], byte[]> pb = TestRecords.producer(B)) {
            for (int i = 0; i < 300; i++) {
                String id = "replay-" + i;
                pa.send(TestRecords.record(TOPIC, 0, BASE + i * 1000L, "k" + i, "event-" + i, id));
                pb.send(TestRecords.record(TOPIC, 0, BASE + i * 1000L, "k" + i, "event-" + i, id));
            }
        }
    }

    static OffsetReplayer replayer(KafkaCluster c) {
        return new OffsetReplayer(TwoClusters.connection(c), Duration.ofSeconds(30));
    }

    static long committed(KafkaCluster c, String group) {
        return TestRecords.committed(c, group).get(TP);
    }

    @Test
    void applyRefusesAGroupWithActiveMembersAndAppliesOnceItStops() throws Exception {
        String group = "apply-active";
        TestRecords.commit(A, group, Map.of(TP, 120L));
        TranslationPlan plan;
        try (OffsetTranslator t = new OffsetTranslator(TwoClusters.connection(A), TwoClusters.connection(B),
                TranslationOptions.DEFAULTS)) {
            plan = t.translateCurrent(group);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean joined = new AtomicBoolean();
        CompletableFuture<Void> member = CompletableFuture.runAsync(() -> {
            try (KafkaConsumer<byte[], byte[]> c = TestRecords.groupConsumer(B, group)) {
                c.subscribe(List.of("replay-unrelated-" + group));
                while (!stop.get()) {
                    c.poll(Duration.ofMillis(100));
                    joined.set(!c.assignment().isEmpty() || c.groupMetadata().generationId() > 0);
                }
            }
        });
        B.createTopic("replay-unrelated-" + group, 1, Map.of());
        await().atMost(Duration.ofSeconds(30)).untilTrue(joined);
        try (OffsetApplier applier = new OffsetApplier(TwoClusters.connection(B), Duration.ofSeconds(30))) {
            assertThat(applier.preview(plan, false).refusal()).hasValueSatisfying(r -> assertThat(r)
                .contains("group apply-active has 1 active member(s) on cluster 'kafka' at " + B.bootstrap()));
            assertThatThrownBy(() -> applier.apply(plan, false))
                .isInstanceOf(CutoverException.class)
                .hasMessageContaining("active member")
                .satisfies(e -> assertThat(((CutoverException) e).kind()).isEqualTo(CutoverException.Kind.REFUSED));
            assertThat(TestRecords.committed(B, group)).doesNotContainKey(TP);
            stop.set(true);
            member.get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> applier.preview(plan, false).refusal().isEmpty());
            applier.apply(plan, false);
        }
        // Ten aborted records and their abort marker come first on B.
        assertThat(committed(B, group)).isEqualTo(131L);
        assertThat(TestRecords.readFrom(B, TP, 131).get(0).value()).isEqualTo("event-120");
    }

    @Test
    void applyRefusesUnresolvedPartitionsUnlessAllowedAndThenLeavesThemAlone() {
        String group = "apply-unresolved";
        A.createTopic("replay-only-on-a", 1, Map.of());
        TestRecords.commit(A, group, Map.of(TP, 50L, new TopicPartition("replay-only-on-a", 0), 0L));
        TranslationPlan plan;
        try (OffsetTranslator t = new OffsetTranslator(TwoClusters.connection(A), TwoClusters.connection(B),
                TranslationOptions.DEFAULTS)) {
            plan = t.translateCurrent(group);
        }
        assertThat(plan.unresolved()).singleElement().satisfies(p -> assertThat(p.reason())
            .contains("topic replay-only-on-a does not exist on the target"));
        try (OffsetApplier applier = new OffsetApplier(TwoClusters.connection(B), Duration.ofSeconds(30))) {
            assertThatThrownBy(() -> applier.apply(plan, false)).hasMessageContaining("UNRESOLVED")
                .hasMessageContaining("--allow-unresolved");
            applier.apply(plan, true);
        }
        assertThat(TestRecords.committed(B, group)).containsExactly(Map.entry(TP, 61L));
    }

    @Test
    void replayToASnapshotATimeAndAShiftLandsWhereGroundTruthSays() throws Exception {
        String group = "replay-group";
        TestRecords.commit(A, group, Map.of(TP, 100L));
        GroupSnapshot snapshot;
        try (OffsetSnapshots snapshots = new OffsetSnapshots(TwoClusters.connection(A), Duration.ofSeconds(30))) {
            snapshot = snapshots.take(group);
            snapshots.store(snapshot);
        }
        assertThat(snapshot.partitions()).singleElement().satisfies(p -> {
            assertThat(p.committedOffset()).isEqualTo(100L);
            assertThat(p.lastConsumed().offset()).isEqualTo(99L);
            assertThat(p.lastConsumed().recordId()).isEqualTo("replay-99");
        });
        TestRecords.commit(A, group, Map.of(TP, 250L));

        try (OffsetReplayer r = replayer(A); OffsetSnapshots snapshots = new OffsetSnapshots(TwoClusters.connection(A),
                Duration.ofSeconds(30))) {
            GroupSnapshot stored = snapshots.find(snapshot.id()).orElseThrow();
            assertThat(stored).isEqualTo(snapshot);
            OffsetReplayer.Replay toSnapshot = r.toSnapshot(group, stored);
            assertThat(toSnapshot.changes()).singleElement().satisfies(c -> {
                assertThat(c.current()).isEqualTo(250L);
                assertThat(c.proposed()).isEqualTo(100L);
                assertThat(c.lagAfter()).isEqualTo(200L);
            });
            assertThat(committed(A, group)).as("a dry run changes nothing").isEqualTo(250L);
            r.execute(toSnapshot, false);
            assertThat(committed(A, group)).isEqualTo(100L);

            // The first record at or after BASE + 150.5 s is record 151.
            r.execute(r.toDateTime(group, Instant.ofEpochMilli(BASE + 150_500)), false);
            assertThat(committed(A, group)).isEqualTo(151L);

            r.execute(r.shiftBy(group, -20), false);
            assertThat(committed(A, group)).isEqualTo(131L);
            r.execute(r.shiftBy(group, 1_000), false);
            assertThat(committed(A, group)).as("clamped to the end").isEqualTo(300L);

            assertThat(r.exportCsv(group)).isEqualTo(TOPIC + ",0,300\n");
            Path csv = dir.resolve("offsets.csv");
            Files.writeString(csv, TOPIC + ",0,42\n");
            r.execute(r.toOffsets(group, OffsetReplayer.readCsv(csv), "file"), false);
            assertThat(committed(A, group)).isEqualTo(42L);
        }
    }

    @Test
    void replayToASnapshotTakenOnTheOtherClusterTranslatesItFirst() {
        String group = "replay-cross";
        TestRecords.commit(B, group, Map.of(TP, 75L));
        GroupSnapshot onB;
        try (OffsetSnapshots snapshots = new OffsetSnapshots(TwoClusters.connection(B), Duration.ofSeconds(30))) {
            onB = snapshots.take(group);
        }
        Path file = dir.resolve("snapshot.json");
        OffsetSnapshots.writeFile(onB, file);
        GroupSnapshot read = OffsetSnapshots.readFile(file);
        assertThat(read).isEqualTo(onB);
        TranslationPlan plan;
        try (OffsetTranslator t = new OffsetTranslator(TwoClusters.connection(B), TwoClusters.connection(A),
                TranslationOptions.DEFAULTS)) {
            plan = t.translate(read);
        }
        try (OffsetReplayer r = replayer(A)) {
            assertThatThrownBy(() -> r.toSnapshot(group, read)).hasMessageContaining("translate it first");
            r.execute(r.toTranslated(group, plan), false);
        }
        List<Seen> onA = TestRecords.readAll(A, TOPIC, 0);
        Seen next = TestRecords.readFrom(B, TP, 75).get(0);
        assertThat(committed(A, group)).isEqualTo(onA.stream().filter(s -> s.id().equals(next.id())).findFirst()
            .orElseThrow().offset());
    }

    @Test
    void replayRefusesAnActiveGroup() throws Exception {
        String group = "replay-active";
        TestRecords.commit(A, group, Map.of(TP, 10L));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean joined = new AtomicBoolean();
        CompletableFuture<Void> member = CompletableFuture.runAsync(() -> {
            try (KafkaConsumer<byte[], byte[]> c = TestRecords.groupConsumer(A, group)) {
                c.subscribe(List.of(TOPIC));
                while (!stop.get()) {
                    c.poll(Duration.ofMillis(100));
                    joined.set(!c.assignment().isEmpty());
                }
            }
        });
        try (OffsetReplayer r = replayer(A)) {
            await().atMost(Duration.ofSeconds(30)).untilTrue(joined);
            OffsetReplayer.Replay shift = r.shiftBy(group, 5);
            assertThatThrownBy(() -> r.execute(shift, false)).hasMessageContaining("active member");
        } finally {
            stop.set(true);
            member.get(30, TimeUnit.SECONDS);
        }
    }
}
