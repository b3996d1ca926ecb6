package dev.turnout.apply;

import static dev.turnout.apply.ApplyFixture.col;
import static dev.turnout.apply.ApplyFixture.header;
import static dev.turnout.apply.ApplyFixture.key;
import static dev.turnout.apply.ApplyFixture.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import dev.turnout.core.config.TableId;

/**
 * A batch holding values the target column types cannot take and a record that does not decode: the bad records go to
 * the dead-letter topic with headers naming why and where from, and everything else in the batch is written.
 */
class PoisonRecordsGoToTheDeadLetterTopicTest {

    private static final TableId ITEMS = TableId.parse("public.items");

    @Test
    void badValuesAndUndecodableRecordsAreDeadLetteredAndTheRestOfTheBatchIsWritten() throws Exception {
        try (ApplyFixture f = new ApplyFixture("poison")) {
            f.sql("CREATE TABLE items (id bigint PRIMARY KEY, code varchar(5), qty integer, _turnout_lsn bigint)");
            f.createTopic(ITEMS, 1);
            long lsn = 100;
            for (long id = 1; id <= 10; id++) {
                f.send(ITEMS, key(col("id", id)), upsert(lsn++, col("id", id), col("code", "c" + id), col("qty", id)));
            }
            RecordMetadata tooLong = f.send(ITEMS, key(col("id", 11L)),
                upsert(lsn++, col("id", 11L), col("code", "much-too-long"), col("qty", 11L)));
            RecordMetadata notANumber = f.send(ITEMS, key(col("id", 12L)),
                upsert(lsn++, col("id", 12L), col("code", "ok"), col("qty", "twelve")));
            byte[] garbageKey = "not avro".getBytes(StandardCharsets.UTF_8);
            byte[] garbageValue = new byte[] {0, 0, 0, 0, 42, 1, 2, 3};
            RecordMetadata undecodable = f.sendRaw(ITEMS, 0, garbageKey, garbageValue);
            for (long id = 14; id <= 20; id++) {
                f.send(ITEMS, key(col("id", id)), upsert(lsn++, col("id", id), col("code", "c" + id), col("qty", id)));
            }

            try (Applier applier = f.start(List.of(ITEMS))) {
                f.awaitApplied(ITEMS);
                assertThat(applier.isHealthy()).isTrue();
            }

            List<String> ids = f.rows("SELECT id FROM items ORDER BY id").stream().map(r -> r.get(0)).toList();
            List<String> expected = new ArrayList<>();
            for (int id = 1; id <= 20; id++) {
                if (id < 11 || id > 13) {
                    expected.add(Integer.toString(id));
                }
            }
            assertThat(ids).as("everything but the poison records is written").isEqualTo(expected);
            assertThat(f.storedOffsets(ITEMS)).containsEntry(0, f.endOffsets(ITEMS).get(0));

            List<ConsumerRecord<byte[], byte[]>> dead = f.deadLetters(3);
            assertThat(dead).hasSize(3);
            Map<Long, ConsumerRecord<byte[], byte[]>> byOffset = new HashMap<>();
            dead.forEach(r -> byOffset.put(Long.parseLong(header(r, DeadLetterHeaders.SOURCE_OFFSET)), r));
            assertThat(byOffset).containsOnlyKeys(tooLong.offset(), notANumber.offset(), undecodable.offset());
            Map<Long, ConsumerRecord<byte[], byte[]>> originals = rawRecords(f, ITEMS);
            for (ConsumerRecord<byte[], byte[]> r : dead) {
                long offset = Long.parseLong(header(r, DeadLetterHeaders.SOURCE_OFFSET));
                assertThat(header(r, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(f.topic(ITEMS));
                assertThat(header(r, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("0");
                assertThat(header(r, DeadLetterHeaders.STAGE)).isEqualTo("apply");
                assertThat(header(r, DeadLetterHeaders.ERROR_CLASS)).isNotBlank();
                assertThat(header(r, DeadLetterHeaders.REASON)).doesNotContain("\n");
                assertThat(r.key()).as("original key bytes").isEqualTo(originals.get(offset).key());
                assertThat(r.value()).as("original value bytes").isEqualTo(originals.get(offset).value());
            }
            assertThat(header(byOffset.get(tooLong.offset()), DeadLetterHeaders.REASON))
                .startsWith("public.items, column code (character varying(5)): value too long for the column; "
                    + "PostgreSQL: value too long for type character varying(5)")
                .doesNotContain("much-too-long");
            assertThat(header(byOffset.get(tooLong.offset()), DeadLetterHeaders.ERROR_CLASS))
                .isEqualTo("org.postgresql.util.PSQLException");
            assertThat(header(byOffset.get(notANumber.offset()), DeadLetterHeaders.REASON))
                .startsWith("public.items, column qty (integer): value not readable as the column's type; PostgreSQL: "
                    + "invalid input syntax for type integer");
            assertThat(header(byOffset.get(undecodable.offset()), DeadLetterHeaders.REASON))
                .startsWith("public.items: undecodable apply record: ");
            assertThat(header(byOffset.get(undecodable.offset()), DeadLetterHeaders.ERROR_CLASS))
                .isEqualTo("org.apache.kafka.common.errors.SerializationException");

            assertThat(f.counter("turnout.apply.dlq", "table", "public.items")).isEqualTo(3.0);
            assertThat(f.counter("turnout.apply.rows", "table", "public.items", "op", "upsert", "outcome", "written"))
                .isEqualTo(17.0);
        }
    }

    /** The apply topic's records by offset, as bytes. */
    private static Map<Long, ConsumerRecord<byte[], byte[]>> rawRecords(ApplyFixture f, TableId table) {
        Map<String, Object> props = new HashMap<>(f.kafka.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<Long, ConsumerRecord<byte[], byte[]>> out = new HashMap<>();
        TopicPartition tp = new TopicPartition(f.topic(table), 0);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> out.put(r.offset(), r));
            }
        }
        return out;
    }
}
