package dev.turnout.apply;

import static dev.turnout.apply.ApplyFixture.col;
import static dev.turnout.apply.ApplyFixture.decimal;
import static dev.turnout.apply.ApplyFixture.delete;
import static dev.turnout.apply.ApplyFixture.key;
import static dev.turnout.apply.ApplyFixture.timestamp;
import static dev.turnout.apply.ApplyFixture.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.turnout.core.config.TableId;

/**
 * Upserts and deletes of several tables, spread over partitions, converge to the state their last change per key
 * says; each partition's batch is one INSERT statement for its upserts, and partitions are written on several
 * connections.
 */
class ApplierConvergesTest {

    private static final TableId USERS = TableId.parse("public.users");
    private static final TableId ORDER_LINES = TableId.parse("shop.order_lines");

    @Test
    void upsertsAndDeletesOfSeveralTablesConvergeInBatchedStatements() {
        try (ApplyFixture f = new ApplyFixture("converge")) {
            f.sql("CREATE TABLE users (id bigint PRIMARY KEY, name text, score numeric(10,2), seen timestamptz, "
                    + "_turnout_lsn bigint)",
                "CREATE SCHEMA shop",
                "CREATE TABLE shop.order_lines (order_id bigint, line integer, sku varchar(20) NOT NULL, "
                    + "_turnout_lsn bigint, PRIMARY KEY (order_id, line))",
                // Statement-level triggers record each INSERT statement and the connection (backend) that ran it.
                "CREATE TABLE statement_log (tbl text, backend integer)",
                "CREATE FUNCTION log_statement() RETURNS trigger AS $$ BEGIN "
                    + "INSERT INTO statement_log VALUES (TG_TABLE_NAME, pg_backend_pid()); RETURN NULL; END $$ "
                    + "LANGUAGE plpgsql",
                "CREATE TRIGGER users_statements AFTER INSERT ON users FOR EACH STATEMENT EXECUTE FUNCTION log_statement()",
                "CREATE TRIGGER lines_statements AFTER INSERT ON shop.order_lines FOR EACH STATEMENT "
                    + "EXECUTE FUNCTION log_statement()");
            f.createTopic(USERS, 3);
            f.createTopic(ORDER_LINES, 3);

            Random random = new Random(7);
            Map<Long, List<String>> users = new TreeMap<>();
            Map<String, List<String>> lines = new TreeMap<>();
            long lsn = 1_000;
            Instant seen = Instant.parse("2024-05-01T10:15:30.123456Z");
            for (int i = 0; i < 1_500; i++) {
                lsn += 1 + random.nextInt(3);
                if (random.nextBoolean()) {
                    long id = random.nextInt(200);
                    if (random.nextInt(10) < 3) {
                        f.produce(USERS, key(col("id", id)), delete(lsn));
                        users.remove(id);
                    } else {
                        String name = "user " + i;
                        String score = (i % 100) + "." + (i % 7) + "5";
                        Instant when = seen.plusSeconds(i);
                        f.produce(USERS, key(col("id", id)), upsert(lsn, col("id", id), col("name", name),
                            col("score", decimal(score)), col("seen", timestamp(when))));
                        users.put(id, List.of(Long.toString(id), name, new java.math.BigDecimal(score)
                            .setScale(2).toPlainString(), when.toString()));
                    }
                } else {
                    long order = random.nextInt(50);
                    long line = random.nextInt(4);
                    String k = order + "/" + line;
                    if (random.nextInt(10) < 3) {
                        f.produce(ORDER_LINES, key(col("order_id", order), col("line", line)), delete(lsn));
                        lines.remove(k);
                    } else {
                        String sku = "SKU-" + i;
                        f.produce(ORDER_LINES, key(col("order_id", order), col("line", line)),
                            upsert(lsn, col("order_id", order), col("line", line), col("sku", sku)));
                        lines.put(k, List.of(Long.toString(order), Long.toString(line), sku));
                    }
                }
            }

            f.flush();

            try (Applier applier = f.start(List.of(USERS, ORDER_LINES))) {
                f.awaitApplied(USERS, ORDER_LINES);
                assertThat(applier.isHealthy()).isTrue();
                for (TableId table : List.of(USERS, ORDER_LINES)) {
                    await().atMost(Duration.ofSeconds(30))
                        .until(() -> f.gauge("turnout.apply.lag", "table", table.toString()) == 0.0);
                }
            }
            double writtenChanges = 0;
            for (TableId table : List.of(USERS, ORDER_LINES)) {
                for (String op : List.of("upsert", "delete")) {
                    writtenChanges += f.counter("turnout.apply.rows", "table", table.toString(), "op", op, "outcome", "written");
                }
            }
            assertThat(f.meters.find("turnout.apply.visible.latency").timer().count())
                .as("a commit-to-visible latency per written change").isEqualTo((long) writtenChanges);

            assertThat(f.rows("SELECT id, name, score, to_char(seen AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') "
                + "FROM users ORDER BY id"))
                .isEqualTo(new ArrayList<>(users.values()));
            assertThat(f.rows("SELECT order_id, line, sku FROM shop.order_lines ORDER BY order_id::text || '/' || line"))
                .containsExactlyInAnyOrderElementsOf(lines.values());
            assertThat(f.count("SELECT count(*) FROM turnout_tombstones")).isPositive();

            for (TableId table : List.of(USERS, ORDER_LINES)) {
                long statements = f.count("SELECT count(*) FROM statement_log WHERE tbl = '" + table.table() + "'");
                long batches = f.meters.find("turnout.apply.batch").tag("table", table.toString()).timer().count();
                double written = f.counter("turnout.apply.rows", "table", table.toString(), "op", "upsert",
                    "outcome", "written");
                assertThat(statements).as("INSERT statements on %s", table).isPositive().isLessThanOrEqualTo(batches);
                assertThat(written).as("upserts written to %s per statement", table)
                    .isGreaterThanOrEqualTo(5.0 * statements);
            }
        }
    }

    @Test
    void aPartitionWaitingOnALockHoldsUpOnlyItself() throws Exception {
        try (ApplyFixture f = new ApplyFixture("parallel")) {
            f.sql("CREATE TABLE users (id bigint PRIMARY KEY, name text, score numeric(10,2), seen timestamptz, "
                + "_turnout_lsn bigint)");
            f.createTopic(USERS, 3);
            try (Connection blocker = f.pg.connect(f.database); Statement st = blocker.createStatement()) {
                // An open transaction holds key 1: the applier's upsert of key 1 must wait for it.
                blocker.setAutoCommit(false);
                st.execute("INSERT INTO users (id, name) VALUES (1, 'held by another transaction')");
                int blocked = f.send(USERS, key(col("id", 1L)), upsert(10, col("id", 1L), col("name", "one"))).partition();
                List<Long> others = new ArrayList<>();
                for (long id = 2; others.size() < 5; id++) {
                    if (f.send(USERS, key(col("id", id)), upsert(10, col("id", id), col("name", "n" + id))).partition()
                        != blocked) {
                        others.add(id);
                    }
                }
                try (Applier applier = f.start(List.of(USERS))) {
                    // The other partitions' batches commit while key 1's batch waits on the lock: they run on
                    // connections of their own.
                    await().atMost(Duration.ofSeconds(30)).until(() -> f.count("SELECT count(*) FROM users WHERE id IN ("
                        + others.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")") == others.size());
                    assertThat(f.count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        + "AND query LIKE 'INSERT INTO%users%'")).as("key 1's batch waits meanwhile").isEqualTo(1);

                    // Changes that arrive later on the other partitions are applied too: the waiting batch holds up
                    // only its own partition, not the applier's polling.
                    List<Long> later = new ArrayList<>();
                    for (long id = 1_000; later.size() < 5; id++) {
                        if (f.send(USERS, key(col("id", id)), upsert(10, col("id", id), col("name", "later" + id)))
                            .partition() != blocked) {
                            later.add(id);
                        }
                    }
                    await().atMost(Duration.ofSeconds(30)).until(() -> f.count("SELECT count(*) FROM users WHERE id IN ("
                        + later.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")") == later.size());
                    assertThat(f.count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        + "AND query LIKE 'INSERT INTO%users%'")).as("key 1's batch still waits").isEqualTo(1);

                    blocker.rollback();
                    await().atMost(Duration.ofSeconds(30)).until(() -> f.rows("SELECT name FROM users WHERE id = 1")
                        .equals(List.of(List.of("one"))));
                }
            }
        }
    }
}
