package dev.turnout.apply;

import static dev.turnout.apply.ApplyFixture.col;
import static dev.turnout.apply.ApplyFixture.delete;
import static dev.turnout.apply.ApplyFixture.key;
import static dev.turnout.apply.ApplyFixture.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.turnout.core.config.TableId;
import dev.turnout.schemas.apply.ApplyKey;
import dev.turnout.schemas.apply.ApplyRecord;

/**
 * The guard: a change is written only when its source position is newer than the row's and, for an upsert, than the
 * key's tombstone; so late, older changes and replays change nothing, until a tombstone passes the retention.
 */
class GuardedWritesTest {

    private static final TableId ITEMS = TableId.parse("public.items");

    private static final String ROW_LOG = """
        CREATE TABLE row_changes (op text);
        CREATE FUNCTION log_row() RETURNS trigger AS $$ BEGIN INSERT INTO row_changes VALUES (TG_OP); RETURN NULL; END $$
          LANGUAGE plpgsql;
        CREATE TRIGGER items_rows AFTER INSERT OR UPDATE OR DELETE ON items FOR EACH ROW EXECUTE FUNCTION log_row()""";

    private record Sent(ApplyKey key, ApplyRecord value) {
    }

    @Test
    void lateOlderChangesChangeNothingAndADeletedKeyIsNotBroughtBack() {
        try (ApplyFixture f = new ApplyFixture("late")) {
            f.sql("CREATE TABLE items (id bigint PRIMARY KEY, name text, _turnout_lsn bigint)");
            f.createTopic(ITEMS, 1);
            try (Applier applier = f.start(List.of(ITEMS))) {
                // Key 1: the newer update arrives first, the older one after it (in another batch, and in the same one).
                f.send(ITEMS, key(col("id", 1L)), upsert(200, col("id", 1L), col("name", "new")));
                f.awaitApplied(ITEMS);
                f.send(ITEMS, key(col("id", 1L)), upsert(100, col("id", 1L), col("name", "old")));
                // Key 2: inserted, deleted, then an upsert older than the delete arrives late.
                f.send(ITEMS, key(col("id", 2L)), upsert(100, col("id", 2L), col("name", "a")));
                // (Waiting here keeps the two apart: in one batch the delete would supersede the upsert, counted alike.)
                f.awaitApplied(ITEMS);
                f.send(ITEMS, key(col("id", 2L)), delete(300));
                f.awaitApplied(ITEMS);
                f.send(ITEMS, key(col("id", 2L)), upsert(200, col("id", 2L), col("name", "b")));
                // Key 3: a delete older than the row does not delete it.
                f.send(ITEMS, key(col("id", 3L)), upsert(500, col("id", 3L), col("name", "kept")));
                f.send(ITEMS, key(col("id", 3L)), delete(400));
                f.awaitApplied(ITEMS);
                assertThat(applier.isHealthy()).isTrue();
            }

            assertThat(f.rows("SELECT id, name, _turnout_lsn FROM items ORDER BY id"))
                .containsExactly(List.of("1", "new", "200"), List.of("3", "kept", "500"));
            assertThat(f.rows("SELECT target_table, key, lsn FROM turnout_tombstones ORDER BY key"))
                .containsExactly(List.of("public.items", "[\"2\"]", "300"));
            assertThat(f.counter("turnout.apply.rows", "table", "public.items", "op", "upsert", "outcome",
                "skipped_older")).isEqualTo(2.0);
            assertThat(f.counter("turnout.apply.rows", "table", "public.items", "op", "delete", "outcome",
                "skipped_older")).isEqualTo(1.0);
        }
    }

    @Test
    void replayedRecordsChangeNothingWhetherReproducedOrReadAgainFromTheStart() {
        try (ApplyFixture f = new ApplyFixture("replay")) {
            f.sql("CREATE TABLE items (id bigint PRIMARY KEY, name text, _turnout_lsn bigint)", ROW_LOG);
            f.createTopic(ITEMS, 2);
            List<Sent> sent = new ArrayList<>();
            long lsn = 10;
            for (long round = 0; round < 5; round++) {
                for (long id = 0; id < 40; id++) {
                    lsn += 10;
                    ApplyKey key = key(col("id", id));
                    ApplyRecord value = (id + round) % 7 == 0 ? delete(lsn)
                        : upsert(lsn, col("id", id), col("name", "v" + round));
                    sent.add(new Sent(key, value));
                    f.produce(ITEMS, key, value);
                }
            }
            f.flush();
            List<List<String>> converged;
            long rowChanges;
            try (Applier applier = f.start(List.of(ITEMS))) {
                f.awaitApplied(ITEMS);
                converged = f.rows("SELECT id, name, _turnout_lsn FROM items ORDER BY id");
                rowChanges = f.count("SELECT count(*) FROM row_changes");
                double skippedBefore = skipped(f);

                // Replay by producing every record again: all of them are now older than (or as old as) the target.
                sent.forEach(s -> f.produce(ITEMS, s.key(), s.value()));
                f.flush();
                f.awaitApplied(ITEMS);
                assertThat(skipped(f) - skippedBefore).isEqualTo(sent.size());
                assertThat(applier.isHealthy()).isTrue();
            }
            assertThat(f.rows("SELECT id, name, _turnout_lsn FROM items ORDER BY id")).isEqualTo(converged);
            assertThat(f.count("SELECT count(*) FROM row_changes")).as("rows touched by the replay").isEqualTo(rowChanges);

            // Replay by forgetting the stored offsets: a new start reads both copies from the beginning.
            f.sql("DELETE FROM turnout_offsets");
            try (Applier applier = f.start(List.of(ITEMS))) {
                f.awaitApplied(ITEMS);
                assertThat(applier.isHealthy()).isTrue();
            }
            assertThat(f.rows("SELECT id, name, _turnout_lsn FROM items ORDER BY id")).isEqualTo(converged);
            assertThat(f.count("SELECT count(*) FROM row_changes")).isEqualTo(rowChanges);
            assertThat(converged).isNotEmpty();
        }
    }

    @Test
    void aTombstoneOlderThanTheRetentionIsRemovedAndNoLongerRefusesOlderUpserts() {
        try (ApplyFixture f = new ApplyFixture("tombstones")) {
            f.sql("CREATE TABLE items (id bigint PRIMARY KEY, name text, _turnout_lsn bigint)");
            f.createTopic(ITEMS, 1);
            // Retention one hour (the fixture's); the cleaner runs every 200 ms.
            try (Applier applier = f.start(List.of(ITEMS))) {
                for (long id : new long[] {1, 2}) {
                    f.send(ITEMS, key(col("id", id)), upsert(10, col("id", id), col("name", "first")));
                    f.send(ITEMS, key(col("id", id)), delete(30));
                }
                f.awaitApplied(ITEMS);
                assertThat(f.count("SELECT count(*) FROM turnout_tombstones")).isEqualTo(2);

                // Key 2's tombstone is made two hours old: past the retention, the cleaner removes it; key 1's stays.
                f.sql("UPDATE turnout_tombstones SET deleted_at = now() - interval '2 hours' WHERE key = '[\"2\"]'");
                await().atMost(Duration.ofSeconds(30))
                    .until(() -> f.count("SELECT count(*) FROM turnout_tombstones WHERE key = '[\"2\"]'") == 0);
                assertThat(f.rows("SELECT key FROM turnout_tombstones")).containsExactly(List.of("[\"1\"]"));

                // A late upsert older than the delete: refused while the tombstone exists, written once it is gone.
                for (long id : new long[] {1, 2}) {
                    f.send(ITEMS, key(col("id", id)), upsert(20, col("id", id), col("name", "late")));
                }
                f.awaitApplied(ITEMS);
                assertThat(applier.isHealthy()).isTrue();
            }
            assertThat(f.rows("SELECT id, name FROM items ORDER BY id")).containsExactly(List.of("2", "late"));
        }
    }

    private static double skipped(ApplyFixture f) {
        return f.counter("turnout.apply.rows", "table", "public.items", "op", "upsert", "outcome", "skipped_older")
            + f.counter("turnout.apply.rows", "table", "public.items", "op", "delete", "outcome", "skipped_older");
    }
}
