package dev.turnout.transform.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import dev.turnout.core.TopicNames;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TableId;
import dev.turnout.transform.MappingEvaluationException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class PoisonRecordsAreDeadLetteredTest {

    private static final TableId ORDERS = TableId.parse("public.orders");

    @Test
    void undecodableBytesAFailingExpressionAndAnUncomputableKeyGoToTheDeadLetterTopicAndTheRestFlows() throws Exception {
        try (TopologyFixture f = new TopologyFixture("poison")) {
            f.sql("CREATE TABLE orders (id int PRIMARY KEY, code text NOT NULL, email text)");
            LoadedConfig config = f.config(List.of(ORDERS), """
                  - from: public.orders
                    key: [ref]
                    columns:
                      ref: lower(row.email)
                      id: row.id
                      amount: int(row.code)
                """);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            f.startCapture(config);
            TransformService transform = f.startTransform(config, meters);
            String cdc = TopicNames.cdc(f.pipeline, ORDERS);

            f.sql("INSERT INTO orders VALUES (1, '10', 'A@x.org')");
            f.sql("INSERT INTO orders VALUES (2, 'abc', 'b@x.org')");
            byte[] plantedKey = "not a key".getBytes(StandardCharsets.UTF_8);
            byte[] plantedValue = "{\"op\":\"c\"} is JSON, not Avro".getBytes(StandardCharsets.UTF_8);
            RecordMetadata planted = plant(f, cdc, plantedKey, plantedValue);
            f.sql("INSERT INTO orders VALUES (3, '30', NULL)");
            f.sql("INSERT INTO orders VALUES (4, '40', 'd@x.org')");

            // The rows after each poison record are transformed: processing went on.
            List<TopologyFixture.Applied> applied = f.readApply(TopicNames.apply(f.pipeline, ORDERS),
                records -> records.size() >= 2);
            assertThat(applied).extracting(a -> a.keyText() + " " + a.columns())
                .containsExactlyInAnyOrder("ref=a@x.org {ref=a@x.org, id=1, amount=10}",
                    "ref=d@x.org {ref=d@x.org, id=4, amount=40}");

            List<TopologyFixture.Raw> dead = f.readRaw(TopicNames.deadLetters(f.pipeline), records -> records.size() >= 3);
            assertThat(dead).hasSize(3);
            for (TopologyFixture.Raw d : dead) {
                assertThat(d.headers()).containsEntry(DeadLetterHeaders.STAGE, "transform")
                    .containsEntry(DeadLetterHeaders.SOURCE_TOPIC, cdc);
                assertThat(d.headers().get(DeadLetterHeaders.REASON)).startsWith("public.orders: ").doesNotContain("\n");
            }

            TopologyFixture.Raw undecodable = only(dead, "not Avro");
            assertThat(undecodable.key()).isEqualTo(plantedKey);
            assertThat(undecodable.value()).isEqualTo(plantedValue);
            assertThat(undecodable.headers())
                .containsEntry("trace", "planted-by-test")
                .containsEntry(DeadLetterHeaders.SOURCE_PARTITION, String.valueOf(planted.partition()))
                .containsEntry(DeadLetterHeaders.SOURCE_OFFSET, String.valueOf(planted.offset()))
                .containsEntry(DeadLetterHeaders.ERROR_CLASS, "org.apache.kafka.connect.errors.DataException");

            TopologyFixture.Raw expression = only(dead, "column amount");
            assertThat(expression.headers().get(DeadLetterHeaders.REASON)).contains("int(row.code)");
            assertThat(expression.headers()).containsEntry(DeadLetterHeaders.ERROR_CLASS,
                MappingEvaluationException.class.getName());
            assertThat(sourceRow(f, cdc, expression).getInt32("id")).isEqualTo(2);

            TopologyFixture.Raw key = only(dead, "column ref");
            assertThat(key.headers().get(DeadLetterHeaders.REASON)).contains("lower(row.email)").contains("key column is null");
            assertThat(sourceRow(f, cdc, key).getInt32("id")).isEqualTo(3);

            assertThat(dlqCount(meters, "undecodable")).isEqualTo(1.0);
            assertThat(dlqCount(meters, "expression")).isEqualTo(1.0);
            assertThat(dlqCount(meters, "key")).isEqualTo(1.0);
            assertThat(meters.get("turnout.transform.records").tag("outcome", "dlq").counter().count()).isEqualTo(3.0);
            assertThat(meters.get("turnout.transform.records").tag("outcome", "applied").counter().count()).isEqualTo(2.0);
            assertThat(transform.healthy()).isTrue();
        }
    }

    private static RecordMetadata plant(TopologyFixture f, String topic, byte[] key, byte[] value) throws Exception {
        Map<String, Object> props = new HashMap<>(f.kafka.clientProperties());
        try (KafkaProducer<byte[], byte[]> producer =
                 new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("trace", "planted-by-test".getBytes(StandardCharsets.UTF_8));
            return producer.send(new ProducerRecord<>(topic, null, key, value, headers)).get();
        }
    }

    /** The dead letter whose reason contains {@code text}. */
    private static TopologyFixture.Raw only(List<TopologyFixture.Raw> dead, String text) {
        List<TopologyFixture.Raw> matching = dead.stream()
            .filter(d -> d.headers().get(DeadLetterHeaders.REASON).contains(text)).toList();
        assertThat(matching).as("dead letters whose reason contains '%s'", text).hasSize(1);
        return matching.get(0);
    }

    /** The source row of the CDC record a dead letter names, whose bytes it must carry unchanged. */
    private static org.apache.kafka.connect.data.Struct sourceRow(TopologyFixture f, String cdc, TopologyFixture.Raw dead) {
        int partition = Integer.parseInt(dead.headers().get(DeadLetterHeaders.SOURCE_PARTITION));
        long offset = Long.parseLong(dead.headers().get(DeadLetterHeaders.SOURCE_OFFSET));
        TopologyFixture.Raw original = f.readRaw(cdc, records -> records.stream()
            .anyMatch(r -> r.partition() == partition && r.offset() == offset)).stream()
            .filter(r -> r.partition() == partition && r.offset() == offset).findFirst().orElseThrow();
        assertThat(dead.key()).isEqualTo(original.key());
        assertThat(dead.value()).isEqualTo(original.value());
        return f.cdcRow(cdc, partition, offset);
    }

    private static double dlqCount(SimpleMeterRegistry meters, String reason) {
        return meters.get("turnout.transform.dlq").tag("table", "public.orders").tag("reason", reason).counter().count();
    }
}
