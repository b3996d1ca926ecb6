package dev.turnout.apply;

import static dev.turnout.apply.ApplyFixture.col;
import static dev.turnout.apply.ApplyFixture.key;
import static dev.turnout.apply.ApplyFixture.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.turnout.core.config.Secret;
import dev.turnout.core.config.TableId;
import dev.turnout.core.health.Part;
import dev.turnout.core.health.PartState;
import dev.turnout.core.health.Parts;
import dev.turnout.testkit.Postgres;

/**
 * An unreachable target: at start, one error naming it; while running, the applier reports itself unhealthy and
 * retries the same records with backoff until the target is back, skipping none.
 */
class ApplierRidesOutOutagesTest {

    private static final TableId ITEMS = TableId.parse("public.items");

    @Test
    void aTargetOutageIsRetriedUntilItEndsAndNoRecordIsSkipped() {
        try (Postgres pg = Postgres.start(); ApplyFixture f = new ApplyFixture("outage", pg)) {
            f.sql("CREATE TABLE items (id bigint PRIMARY KEY, name text, _turnout_lsn bigint)");
            f.createTopic(ITEMS, 2);
            try (Applier applier = f.start(List.of(ITEMS))) {
                new Parts(f.meters).register(Part.APPLY, applier);
                for (long id = 0; id < 10; id++) {
                    f.produce(ITEMS, key(col("id", id)), upsert(100 + id, col("id", id), col("name", "before")));
                }
                f.flush();
                f.awaitApplied(ITEMS);
                assertThat(f.gauge("turnout.part.up", "part", "apply")).isEqualTo(1.0);

                pg.stop();
                for (long id = 10; id < 30; id++) {
                    f.produce(ITEMS, key(col("id", id)), upsert(100 + id, col("id", id), col("name", "during")));
                }
                f.flush();
                await().atMost(Duration.ofMinutes(1)).until(() -> applier.state() == Applier.State.RETRYING);
                assertThat(f.gauge("turnout.part.up", "part", "apply")).isEqualTo(0.0);
                assertThat(applier.partStatus().state()).as("waiting for the target, not failed")
                    .isEqualTo(PartState.STARTING);
                assertThat(applier.partStatus().detail()).hasValueSatisfying(d -> assertThat(d)
                    .startsWith("retrying an outage: target database at "));
                await().atMost(Duration.ofMinutes(1))
                    .until(() -> f.gauge("turnout.apply.lag", "table", ITEMS.toString()) > 0);

                pg.restart();
                f.awaitApplied(ITEMS);
                await().atMost(Duration.ofMinutes(1)).until(() -> applier.state() == Applier.State.RUNNING);
                await().atMost(Duration.ofMinutes(1))
                    .until(() -> f.gauge("turnout.apply.lag", "table", ITEMS.toString()) == 0);
                assertThat(applier.failure()).isEmpty();
            }
            assertThat(f.count("SELECT count(*) FROM items")).isEqualTo(30);
            assertThat(f.count("SELECT count(*) FROM items WHERE name = 'during'")).isEqualTo(20);
        }
    }

    @Test
    void anUnreachableTargetAtStartIsOneErrorNamingIt() {
        try (ApplyFixture f = new ApplyFixture("unreachable")) {
            ApplierSettings good = f.settings(List.of(ITEMS), 10, 1);
            ApplierSettings nowhere = new ApplierSettings(good.pipeline(), "jdbc:postgresql://127.0.0.1:1/nowhere",
                "postgres", Secret.of(""), good.tables(), good.bootstrap(), good.kafkaProperties(), good.registryUrl(),
                good.batchSize(), good.parallelism(), good.tombstoneRetention(), good.tombstoneCleanup());
            assertThatThrownBy(() -> Applier.start(nowhere, f.meters))
                .isInstanceOf(ApplierException.class)
                .hasMessageStartingWith("Cannot connect to the target database at jdbc:postgresql://127.0.0.1:1/nowhere "
                    + "as postgres: Connection to 127.0.0.1:1 refused");

            // A target without the table: the error names it and the command that creates it.
            assertThatThrownBy(() -> Applier.start(good, f.meters))
                .isInstanceOf(ApplierException.class)
                .hasMessage("target table public.items does not exist in the target database (or its user may not see "
                    + "it); create it with: turnout schema apply -c FILE --execute");
        }
    }
}
