package dev.turnout.apply;

import static dev.turnout.apply.ApplyFixture.col;
import static dev.turnout.apply.ApplyFixture.header;
import static dev.turnout.apply.ApplyFixture.key;
import static dev.turnout.apply.ApplyFixture.unavailable;
import static dev.turnout.apply.ApplyFixture.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import dev.turnout.core.config.TableId;

/**
 * TOAST: an update that does not carry a column (Unavailable) keeps the target's value for it, also when the value it
 * keeps was written by an earlier change in the same batch; a new row with an unavailable column has no value to keep
 * and is poison.
 */
class UnavailableColumnsKeepTheTargetValueTest {

    private static final TableId DOCS = TableId.parse("public.docs");

    @Test
    void anUnavailableColumnKeepsTheExistingValueAndAnInsertWithoutItIsPoison() {
        String big = "x".repeat(100_000);
        try (ApplyFixture f = new ApplyFixture("toast")) {
            f.sql("CREATE TABLE docs (id bigint PRIMARY KEY, title text, body text, _turnout_lsn bigint)");
            f.createTopic(DOCS, 1);
            // Key 1: the body is written in one batch; a later batch updates the title without carrying the body.
            f.send(DOCS, key(col("id", 1L)), upsert(10, col("id", 1L), col("title", "a"), col("body", big)));
            try (Applier applier = f.start(List.of(DOCS))) {
                f.awaitApplied(DOCS);
                f.send(DOCS, key(col("id", 1L)), upsert(20, col("id", 1L), col("title", "b"), col("body", unavailable())));
                f.awaitApplied(DOCS);
                assertThat(applier.isHealthy()).isTrue();
            }
            assertThat(f.rows("SELECT title, length(body), _turnout_lsn FROM docs WHERE id = 1"))
                .containsExactly(List.of("b", "100000", "20"));

            // Produced while no applier runs, so they share a batch: key 2's body is written, then an update keeps it
            // (rounds keep the order); key 3 is new and does not carry its body.
            f.produce(DOCS, key(col("id", 2L)), upsert(30, col("id", 2L), col("title", "t"), col("body", "kept body")));
            f.produce(DOCS, key(col("id", 2L)), upsert(40, col("id", 2L), col("title", "t2"), col("body", unavailable())));
            f.flush();
            RecordMetadata noBody = f.send(DOCS, key(col("id", 3L)),
                upsert(50, col("id", 3L), col("title", "new"), col("body", unavailable())));
            try (Applier applier = f.start(List.of(DOCS))) {
                f.awaitApplied(DOCS);
                assertThat(applier.isHealthy()).isTrue();
            }
            assertThat(f.rows("SELECT id, title, body FROM docs WHERE id > 1 ORDER BY id"))
                .containsExactly(List.of("2", "t2", "kept body"));

            List<ConsumerRecord<byte[], byte[]>> dead = f.deadLetters(1);
            assertThat(dead).hasSize(1);
            assertThat(header(dead.get(0), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo(Long.toString(noBody.offset()));
            assertThat(header(dead.get(0), DeadLetterHeaders.REASON)).isEqualTo("public.docs, column body: unavailable "
                + "on insert: the change does not carry this column (an unchanged TOASTed value) and the row does not "
                + "exist in the target, so there is no value to keep");
        }
    }
}
