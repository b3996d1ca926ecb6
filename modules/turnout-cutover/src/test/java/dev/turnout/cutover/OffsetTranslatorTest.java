package dev.turnout.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.turnout.cutover.TranslationPlan.PartitionPlan;
import dev.turnout.testkit.KafkaCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class OffsetTranslatorTest {

    static final KafkaCluster A = TwoClusters.a();
    static final KafkaCluster B = TwoClusters.b();

    @Test
    void recordsShiftedByAbortedTransactionsTranslateExactly() throws Exception {
        String topic = "translate-shifted";
        A.createTopic(topic, 2, Map.of());
        B.createTopic(topic, 2, Map.of());
        try (KafkaProducer<byte[], byte[]> tx = TestRecords.transactionalProducer(B, "shift-" + UUID.randomUUID())) {
            tx.beginTransaction();
            for (int i = 0; i < 7; i++) {
                tx.send(TestRecords.record(topic, 0, 1, "k", "aborted-" + i, null));
            }
            // Flushed first: unsent records would be dropped by the abort instead of written as aborted.
            tx.flush();
            tx.abortTransaction();
        }
        long ts = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> pa = TestRecords.producer(A); KafkaProducer<byte[], byte[]> pb = TestRecords.producer(B)) {
            for (int p = 0; p < 2; p++) {
                for (int i = 0; i < 200; i++) {
                    String id = UUID.randomUUID().toString();
                    pa.send(TestRecords.record(topic, p, ts + i, "k" + i, "v" + p + "-" + i, id));
                    pb.send(TestRecords.record(topic, p, ts + i, "k" + i, "v" + p + "-" + i, id));
                }
            }
        }
        String group = "translate-shifted-group";
        TestRecords.commit(A, group, Map.of(new TopicPartition(topic, 0), 120L, new TopicPartition(topic, 1), 200L));
        TranslationPlan plan;
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (OffsetTranslator t = new OffsetTranslator(TwoClusters.connection(A), TwoClusters.connection(B),
                TranslationOptions.DEFAULTS, meters)) {
            plan = t.translateCurrent(group);
        }
        List<TestRecords.Seen> b0 = TestRecords.readAll(B, topic, 0);
        PartitionPlan p0 = plan.partitions().get(0);
        assertThat(p0.status()).as(p0.reason()).isEqualTo(PartitionStatus.EXACT);
        assertThat(b0.get(120).value()).isEqualTo("v0-120");
        assertThat(p0.targetOffset()).isEqualTo(b0.get(120).offset());
        assertThat(p0.matchedBy()).isEqualTo("turnout.id");
        PartitionPlan p1 = plan.partitions().get(1);
        assertThat(p1.status()).isEqualTo(PartitionStatus.AT_END);
        assertThat(p1.targetOffset()).isEqualTo(200L);
        assertThat(meters.get("turnout.cutover.translated.partitions").tag("status", "exact").counter().count())
            .isEqualTo(1.0);
        assertThat(meters.get("turnout.cutover.translated.partitions").tag("status", "at_end").counter().count())
            .isEqualTo(1.0);
        assertThat(meters.get("turnout.cutover.translation").timer().count()).isEqualTo(1);
    }
}
