package dev.turnout.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import dev.turnout.cutover.TestRecords.Seen;
import dev.turnout.testkit.KafkaCluster;

class TopicCopierTest {

    static final KafkaCluster A = TwoClusters.a();
    static final KafkaCluster B = TwoClusters.b();

    TopicCopier copier() {
        return new TopicCopier(TwoClusters.connection(A), TwoClusters.connection(B), Duration.ofSeconds(30));
    }

    /** Recent timestamps: the test clusters apply retention (7 days by default) within a second. */
    static final long BASE = System.currentTimeMillis() - 3_600_000;

    static void produce(String topic, int from, int count, String id) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = TestRecords.producer(A)) {
            for (int i = from; i < from + count; i++) {
                ProducerRecord<byte[], byte[]> r = TestRecords.record(topic, i % 2, BASE + i, "k" + i,
                    "backlog-" + i, id);
                r.headers().add("trace", ("t" + i).getBytes());
                p.send(r);
            }
        }
    }

    @Test
    void copyPreservesEverythingAddsTheSourceAndResumesWithoutCopyingTwice() throws Exception {
        String topic = "copy-backlog";
        A.createTopic(topic, 2, Map.of());
        B.createTopic(topic, 2, Map.of());
        produce(topic, 0, 400, null);
        try (KafkaProducer<byte[], byte[]> tx = TestRecords.transactionalProducer(A, "copy-" + UUID.randomUUID())) {
            tx.beginTransaction();
            tx.send(TestRecords.record(topic, 0, 1, "k", "aborted", null));
            // Flushed first: unsent records would be dropped by the abort instead of written as aborted.
            tx.flush();
            tx.abortTransaction();
        }
        List<long[]> progress = new ArrayList<>();
        try (TopicCopier copier = copier()) {
            CopyPlan plan = copier.plan(Pattern.compile(topic));
            assertThat(plan.remaining()).isGreaterThanOrEqualTo(400);
            assertThat(copier.execute(plan, (done, total) -> progress.add(new long[] {done, total}))).isEqualTo(400);
        }
        assertThat(progress).isNotEmpty();
        assertThat(progress.get(progress.size() - 1)[0]).isEqualTo(400);
        produce(topic, 400, 100, null);
        try (TopicCopier copier = copier()) {
            assertThat(copier.execute(copier.plan(Pattern.compile(topic)), (d, t) -> { })).isEqualTo(100);
            assertThat(copier.execute(copier.plan(Pattern.compile(topic)), (d, t) -> { })).isZero();
        }
        for (int p = 0; p < 2; p++) {
            List<Seen> original = TestRecords.readAll(A, topic, p);
            List<Seen> copies = TestRecords.readAll(B, topic, p);
            assertThat(copies).hasSize(250).hasSameSizeAs(original);
            for (int i = 0; i < copies.size(); i++) {
                Seen o = original.get(i);
                Seen c = copies.get(i);
                assertThat(c.key()).isEqualTo(o.key());
                assertThat(c.value()).isEqualTo(o.value());
                assertThat(c.timestamp()).isEqualTo(o.timestamp());
                assertThat(c.src()).isEqualTo(A.clusterId() + ":" + topic + ":" + p + ":" + o.offset());
            }
        }
        assertThat(TestRecords.readAll(B, topic, 0)).extracting(Seen::value).doesNotContain("aborted");
    }

    @Test
    void copyStopsWhereDualPublishingBegan() throws Exception {
        String topic = "copy-until-dual";
        A.createTopic(topic, 2, Map.of());
        B.createTopic(topic, 2, Map.of());
        produce(topic, 0, 100, null);
        produce(topic, 100, 2, UUID.randomUUID().toString());
        produce(topic, 102, 20, null);
        try (TopicCopier copier = copier()) {
            assertThat(copier.execute(copier.plan(Pattern.compile(topic)), (d, t) -> { })).isEqualTo(100);
        }
        assertThat(TestRecords.readAll(B, topic, 0)).extracting(Seen::value).endsWith("backlog-98");
    }
}
