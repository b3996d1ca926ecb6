package dev.turnout.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

import dev.turnout.core.TopicNames;
import dev.turnout.core.config.SnapshotMode;
import dev.turnout.core.config.TableId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class CaptureEngineTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void insertUpdateDeleteAndKeyChangeArriveInCommitOrderWithBeforeAndAfterImages() throws Exception {
        CaptureFixture f = new CaptureFixture("crud");
        f.sql("CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, display_name text)",
            "CREATE TABLE orders (id int PRIMARY KEY, total numeric(10,2))",
            "ALTER TABLE orders REPLICA IDENTITY FULL",
            "INSERT INTO users VALUES (1, 'ada@example.com', 'Ada')");
        TableId users = TableId.parse("public.users");
        TableId orders = TableId.parse("public.orders");
        try (CaptureEngine capture = CaptureEngine.start(f.settings(List.of(users, orders), SnapshotMode.INITIAL),
            new SimpleMeterRegistry())) {
            String usersTopic = TopicNames.cdc(f.pipeline, users);
            await().atMost(TIMEOUT).until(() -> !f.readChanges(usersTopic, 1, Duration.ofSeconds(2)).isEmpty());

            f.sql("UPDATE users SET display_name = 'Ada L.' WHERE id = 1",
                "INSERT INTO orders VALUES (10, 9.99)",
                "UPDATE orders SET total = 19.99 WHERE id = 10",
                "DELETE FROM orders WHERE id = 10",
                "UPDATE users SET id = 2 WHERE id = 1");

            List<CaptureFixture.Change> userChanges = f.readChanges(usersTopic, 5, TIMEOUT);
            assertThat(userChanges).extracting(CaptureFixture.Change::op)
                .containsExactly("r", "u", "d", "tombstone", "c");
            Struct snapshot = userChanges.get(0).valueStruct();
            assertThat(snapshot.getStruct("after").getString("email")).isEqualTo("ada@example.com");
            Struct update = userChanges.get(1).valueStruct();
            // REPLICA IDENTITY DEFAULT: PostgreSQL sends no old row for an update that keeps the key.
            assertThat(update.getStruct("before")).as("no old tuple for a non-key update").isNull();
            assertThat(update.getStruct("after").getString("display_name")).isEqualTo("Ada L.");
            Struct keyChangeDelete = userChanges.get(2).valueStruct();
            assertThat(keyChangeDelete.getStruct("before").getInt32("id")).isEqualTo(1);
            assertThat(userChanges.get(4).valueStruct().getStruct("after").getInt32("id")).isEqualTo(2);
            for (CaptureFixture.Change c : userChanges) {
                if (!c.tombstone()) {
                    Struct source = c.valueStruct().getStruct("source");
                    assertThat(source.getInt64("lsn")).isNotNull();
                    assertThat(source.getInt64("ts_ms")).isPositive();
                }
            }

            List<CaptureFixture.Change> orderChanges = f.readChanges(TopicNames.cdc(f.pipeline, orders), 4, TIMEOUT);
            assertThat(orderChanges).extracting(CaptureFixture.Change::op).containsExactly("c", "u", "d", "tombstone");
            // REPLICA IDENTITY FULL: the before image has every column.
            Struct orderUpdate = orderChanges.get(1).valueStruct();
            assertThat(orderUpdate.getStruct("before").get("total")).hasToString("9.99");
            assertThat(orderChanges.get(2).valueStruct().getStruct("before").get("total")).hasToString("19.99");
            long previousLsn = 0;
            for (CaptureFixture.Change c : orderChanges.subList(0, 3)) {
                long lsn = c.valueStruct().getStruct("source").getInt64("lsn");
                assertThat(lsn).isGreaterThan(previousLsn);
                previousLsn = lsn;
                assertThat(c.valueStruct().getStruct("transaction")).as("transaction metadata").isNotNull();
            }
            assertThat(capture.status().events()).isGreaterThanOrEqualTo(10);
        }
    }
}
