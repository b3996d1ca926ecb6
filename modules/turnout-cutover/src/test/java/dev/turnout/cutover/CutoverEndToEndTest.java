package dev.turnout.cutover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.uuid.Generators;

import dev.turnout.cutover.TestRecords.Seen;
import dev.turnout.testkit.KafkaCluster;

/**
 * Done-when 1: a realistic migration. Topics dual-published with the DualPublisher (after a copied backlog), a compacted
 * topic, a topic with committed and aborted transactions, and a topic whose oldest records are gone by retention; groups
 * that are caught up, lagging by thousands, and never committed. Each group is cut over A → B, consumed a little on B,
 * rolled back B → A and consumed to the end; every record is consumed exactly once, by record identity.
 */
class CutoverEndToEndTest {

    static final KafkaCluster A = TwoClusters.a();
    static final KafkaCluster B = TwoClusters.b();
    static final String ORDERS = "e2e-orders";
    static final String COMPACTED = "e2e-compacted";
    static final String TX = "e2e-tx";
    static final String RETENTION = "e2e-retention";
    static final List<String> TOPICS = List.of(ORDERS, COMPACTED, TX, RETENTION);

    @TempDir
    static Path dir;

    /** The turnout.id of every record the DualPublisher published (the ground truth for the dual-published topic). */
    static final List<String> produced = new ArrayList<>();

    @BeforeAll
    static void migrateProducers() throws Exception {
        long now = System.currentTimeMillis();
        A.createTopic(ORDERS, 3, Map.of());
        A.createTopic(COMPACTED, 2, Map.of("cleanup.policy", "compact", "segment.ms", "60000",
            "min.cleanable.dirty.ratio", "0.01", "min.compaction.lag.ms", "0", "delete.retention.ms", "0"));
        A.createTopic(TX, 2, Map.of());
        A.createTopic(RETENTION, 2, Map.of("retention.ms", "86400000", "segment.ms", "3600000"));
        // The backlog, produced before anyone thought of Kafka.
        try (KafkaProducer<byte[], byte[]> plain = TestRecords.producer(A)) {
            for (int i = 0; i < 1500; i++) {
                plain.send(TestRecords.record(ORDERS, i % 3, now - 600_000 + i, "customer-" + (i % 41), "order-" + i, null));
            }
        }
        try (TopicSync sync = new TopicSync(TwoClusters.connection(A), TwoClusters.connection(B), Duration.ofSeconds(30))) {
            sync.execute(sync.plan(Pattern.compile("e2e-.*")));
        }
        try (DualPublisher<String, String> publisher = DualPublisher.builder(new StringSerializer(), new StringSerializer())
                .name("e2e").primary(A.clientProperties()).secondary(B.clientProperties()).journal(dir.resolve("journal"))
                .build()) {
            // Dual publishing starts with the secondary held, so the backlog copy lands on B before any new record.
            publisher.pauseSecondary();
            List<CompletableFuture<PublishResult>> sent = new ArrayList<>();
            for (int i = 0; i < 4500; i++) {
                sent.add(publisher.send(new ProducerRecord<>(ORDERS, "customer-" + (i % 41), "live-order-" + i)));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            produced.addAll(sent.stream().map(f -> f.join().id()).toList());
            try (TopicCopier copier = new TopicCopier(TwoClusters.connection(A), TwoClusters.connection(B),
                    Duration.ofSeconds(30))) {
                assertThat(copier.execute(copier.plan(Pattern.compile(ORDERS)), (d, t) -> { })).isEqualTo(1500);
            }
            publisher.resumeSecondary();
            assertThat(publisher.awaitSecondary(Duration.ofSeconds(60))).isTrue();
        }
        publishCompacted(now);
        produceTransactions();
        // Compaction and retention act on each cluster on its own schedule; wait until both have.
        for (KafkaCluster c : List.of(A, B)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> count(c, COMPACTED) == expectedAfterCompaction());
            await().atMost(Duration.ofSeconds(60)).until(() -> logStart(c, RETENTION, 0) == 100 && logStart(c, RETENTION, 1) == 100);
        }
    }

    /**
     * Five waves of stock levels for 15 SKUs per partition, two minutes of record time apart so that each wave starts a
     * new segment; one record per batch, so that segment boundaries (and so compaction and retention) are the same on
     * both clusters.
     */
    static void publishCompacted(long now) throws Exception {
        Map<String, Object> oneRecordBatches = Map.of("batch.size", 1, "linger.ms", 0);
        Map<String, Object> primary = new HashMap<>(A.clientProperties());
        primary.putAll(oneRecordBatches);
        Map<String, Object> secondary = new HashMap<>(B.clientProperties());
        secondary.putAll(oneRecordBatches);
        try (DualPublisher<String, String> publisher = DualPublisher.builder(new StringSerializer(), new StringSerializer())
                .name("e2e-compacted").primary(primary).secondary(secondary).journal(dir.resolve("journal-compacted"))
                .build()) {
            for (int wave = 0; wave < 5; wave++) {
                long ts = now - 600_000 + wave * 120_000L;
                List<CompletableFuture<PublishResult>> sent = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    sent.add(publisher.send(new ProducerRecord<>(COMPACTED, i % 2, ts + i, "sku-" + (i % 30),
                        "stock-" + wave + "-" + i)));
                }
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            }
            // Metrics: 100 per partition two days old (gone by retention once a newer segment exists), then 100 recent.
            for (int i = 0; i < 400; i++) {
                long ts = i < 200 ? now - 2 * 86_400_000L + i : now - 1000 + i;
                publisher.send(new ProducerRecord<>(RETENTION, i % 2, ts, "k" + i, "metric-" + i)).get(30, TimeUnit.SECONDS);
            }
            assertThat(publisher.awaitSecondary(Duration.ofSeconds(60))).isTrue();
        }
    }

    /** Per partition: distinct keys of the four closed waves, plus the active (last) wave. */
    static int expectedAfterCompaction() {
        int total = 0;
        for (int p = 0; p < 2; p++) {
            Set<String> keys = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                if (i % 2 == p) {
                    keys.add("sku-" + (i % 30));
                }
            }
            total += keys.size() + 100;
        }
        return total;
    }

    /** Same transactions on both clusters (same ids and timestamps); B also has an aborted one first, shifting offsets. */
    static void produceTransactions() throws Exception {
        String suffix = UUID.randomUUID().toString();
        try (KafkaProducer<byte[], byte[]> ta = TestRecords.transactionalProducer(A, "e2e-a-" + suffix);
             KafkaProducer<byte[], byte[]> tb = TestRecords.transactionalProducer(B, "e2e-b-" + suffix)) {
            tb.beginTransaction();
            for (int i = 0; i < 13; i++) {
                tb.send(TestRecords.record(TX, i % 2, System.currentTimeMillis(), "x", "b-only-aborted-" + i, null));
            }
            // Flushed first: unsent records would be dropped by the abort instead of written as aborted.
            tb.flush();
            tb.abortTransaction();
            long ts = System.currentTimeMillis();
            int n = 0;
            for (int t = 0; t < 40; t++) {
                boolean commit = t % 4 != 3;
                ta.beginTransaction();
                tb.beginTransaction();
                for (int i = 0; i < 25; i++, n++) {
                    String id = Generators.timeBasedEpochGenerator().generate().toString();
                    String value = (commit ? "payment-" : "aborted-payment-") + n;
                    ta.send(TestRecords.record(TX, n % 2, ts + n, "acct-" + (n % 17), value, id));
                    tb.send(TestRecords.record(TX, n % 2, ts + n, "acct-" + (n % 17), value, id));
                }
                if (commit) {
                    ta.commitTransaction();
                    tb.commitTransaction();
                } else {
                    // Flushed first: unsent records would be dropped by the abort instead of written as aborted.
                    ta.flush();
                    ta.abortTransaction();
                    tb.flush();
                    tb.abortTransaction();
                }
            }
        }
    }

    static int count(KafkaCluster c, String topic) {
        int n = 0;
        for (int p = 0; p < 2; p++) {
            n += TestRecords.readAll(c, topic, p).size();
        }
        return n;
    }

    static long logStart(KafkaCluster c, String topic, int partition) throws Exception {
        try (Admin admin = c.admin()) {
            TopicPartition tp = new TopicPartition(topic, partition);
            return admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all().get(30, TimeUnit.SECONDS).get(tp).offset();
        }
    }

    static List<TopicPartition> partitions() {
        List<TopicPartition> tps = new ArrayList<>();
        for (String topic : TOPICS) {
            for (int p = 0; p < (topic.equals(ORDERS) ? 3 : 2); p++) {
                tps.add(new TopicPartition(topic, p));
            }
        }
        return tps;
    }

    /** Identities of every record on a cluster now, per topic partition, in log order. */
    static Map<TopicPartition, List<String>> everything(KafkaCluster c) {
        Map<TopicPartition, Long> from = new LinkedHashMap<>();
        partitions().forEach(tp -> from.put(tp, -1L));
        return identities(TestRecords.readMany(c, from));
    }

    /** What a group would read now from its committed offsets (or from the start without one), per partition. */
    static Map<TopicPartition, List<String>> unconsumed(KafkaCluster c, String group) {
        Map<TopicPartition, Long> committed = TestRecords.committed(c, group);
        Map<TopicPartition, Long> from = new LinkedHashMap<>();
        partitions().forEach(tp -> from.put(tp, committed.getOrDefault(tp, -1L)));
        return identities(TestRecords.readMany(c, from));
    }

    static Map<TopicPartition, List<String>> identities(Map<TopicPartition, List<Seen>> records) {
        Map<TopicPartition, List<String>> out = new LinkedHashMap<>();
        records.forEach((tp, seen) -> out.put(tp, seen.stream().map(Seen::identity).toList()));
        return out;
    }

    static Map<TopicPartition, List<String>> byPartition(List<Seen> seen) {
        Map<TopicPartition, List<String>> out = new HashMap<>();
        seen.forEach(s -> out.computeIfAbsent(new TopicPartition(s.topic(), s.partition()), k -> new ArrayList<>())
            .add(s.identity()));
        return out;
    }

    static List<Seen> consumeEachTopic(KafkaCluster c, String group, long perPartition) {
        return TestRecords.consume(c, group, TOPICS, perPartition);
    }

    Cutover.Result cutover(KafkaCluster from, KafkaCluster to, String group, Path certificate) {
        Cutover.Options options = new Cutover.Options(group, Duration.ofSeconds(30), true, false, true,
            Duration.ofSeconds(10), certificate, TranslationOptions.DEFAULTS);
        Cutover.Result result = Cutover.run(TwoClusters.connection(from), TwoClusters.connection(to), options, line -> { });
        assertThat(result.outcome()).as(result.message() + "\n" + (result.plan() == null ? "" : result.plan().unresolved()))
            .isEqualTo(Cutover.Outcome.COMPLETED);
        assertThat(result.precheck().lost()).isZero();
        assertThat(result.precheck().redelivered()).isZero();
        assertThat(result.consumersStopped()).isNotNull();
        assertThat(certificate).exists();
        return result;
    }

    /**
     * Consumes {@code before} of every partition on the source, cuts over, checks that the target's unconsumed records
     * are exactly the source's, consumes {@code onTarget} more there, rolls back, checks again, and consumes the rest.
     */
    void cutoverThenRollback(String group, long before, long onTarget) throws Exception {
        Map<TopicPartition, List<String>> all = everything(A);
        assertThat(everything(B)).as("both clusters hold the same records").isEqualTo(all);
        assertThat(all.entrySet().stream().filter(e -> e.getKey().topic().equals(ORDERS))
            .flatMap(e -> e.getValue().stream()).filter(id -> !id.startsWith("order-")).toList())
            .as("the dual-published orders are exactly what the publisher reported").containsExactlyInAnyOrderElementsOf(produced);
        List<Seen> first = before == 0 ? List.of() : consumeEachTopic(A, group, before);
        Map<TopicPartition, List<String>> leftOnA = unconsumed(A, group);

        Cutover.Result forward = cutover(A, B, group, dir.resolve(group + "-cutover.json"));
        if (before > 0) {
            assertThat(forward.plan().summary().unresolved()).isZero();
        }
        assertThat(unconsumed(B, group)).as("after cutover, B delivers exactly what the group had not consumed on A")
            .isEqualTo(leftOnA);

        List<Seen> second = onTarget == 0 ? List.of() : consumeEachTopic(B, group, onTarget);
        Map<TopicPartition, List<String>> leftOnB = unconsumed(B, group);
        cutover(B, A, group, dir.resolve(group + "-rollback.json"));
        assertThat(unconsumed(A, group)).as("after rollback, A delivers exactly what the group had not consumed on B")
            .isEqualTo(leftOnB);

        List<Seen> third = consumeEachTopic(A, group, Long.MAX_VALUE);
        Map<TopicPartition, List<String>> consumed = new HashMap<>();
        for (List<Seen> phase : List.of(first, second, third)) {
            byPartition(phase).forEach((tp, ids) -> consumed.computeIfAbsent(tp, k -> new ArrayList<>()).addAll(ids));
        }
        all.forEach((tp, ids) -> assertThat(consumed.getOrDefault(tp, List.of()))
            .as("every record of %s consumed once, in order: 0 lost, 0 duplicated", tp).isEqualTo(ids));
    }

    @Test
    void cutoverThenRollbackLosesAndDuplicatesNothingForALaggingGroup() throws Exception {
        // Per partition: 200 consumed on A, 300 more on B; the orders partitions lag by 1,500 on A, 4,500 in all.
        cutoverThenRollback("e2e-lagging", 200, 300);
        long lag = 0;
        for (var e : unconsumed(A, "e2e-lagging").entrySet()) {
            lag += e.getValue().size();
        }
        assertThat(lag).as("consumed to the end").isZero();
    }

    @Test
    void cutoverThenRollbackLosesAndDuplicatesNothingForACaughtUpGroup() throws Exception {
        cutoverThenRollback("e2e-caught-up", Long.MAX_VALUE, 0);
    }

    @Test
    void cutoverThenRollbackLosesAndDuplicatesNothingForAGroupThatNeverCommitted() throws Exception {
        cutoverThenRollback("e2e-never-committed", 0, 0);
    }

    @Test
    void theCertificateIsStoredOnTheTargetAndNamesTheEvidence() throws Exception {
        String group = "e2e-certificate";
        consumeEachTopic(A, group, 40);
        Path file = dir.resolve("certificate.json");
        Cutover.Result r = cutover(A, B, group, file);
        String json = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(json).contains("\"lastConsumed\"", "\"fingerprint\"", "\"consumersStoppedMillis\"", r.plan().id());
        try (OffsetSnapshots snapshots = new OffsetSnapshots(TwoClusters.connection(A), Duration.ofSeconds(30))) {
            assertThat(snapshots.find(r.snapshot().id())).contains(r.snapshot());
        }
        try (var session = new dev.turnout.cutover.internal.ClusterSession(TwoClusters.connection(B), Duration.ofSeconds(30))) {
            byte[] stored = new dev.turnout.cutover.internal.SnapshotTopic(session).find("certificate/" + r.plan().id())
                .orElseThrow();
            var certificate = dev.turnout.cutover.internal.SnapshotCodec.decodeCertificate(stored);
            assertThat(certificate.getVerified()).isTrue();
            assertThat(certificate.getGroup()).isEqualTo(group);
            assertThat(certificate.getPlanJson()).contains(r.plan().id());
        }
        // Rolling back restores A for the other tests' view of this group; nothing else shares it.
        cutover(B, A, group, dir.resolve("certificate-rollback.json"));
    }
}
