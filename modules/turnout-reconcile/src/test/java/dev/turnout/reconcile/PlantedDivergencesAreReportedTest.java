package dev.turnout.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.turnout.core.TopicNames;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TableId;
import dev.turnout.schemas.reconcile.FieldDifference;
import dev.turnout.schemas.reconcile.KeyStatus;
import dev.turnout.schemas.reconcile.ReconcileStatus;
import dev.turnout.schemas.reconcile.ReconcileSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Real PostgreSQL source and target, real capture of both, real transform and reconciliation on a real broker. The
 * target's rows are written by hand (there is no applier in this module), which is also how the divergences are planted:
 * a target row edited, a target row deleted, an extra target row, and a source change that never reaches the target.
 */
class PlantedDivergencesAreReportedTest {

    private static final TableId ACCOUNTS = TableId.parse("public.accounts");
    private static final Duration GRACE = Duration.ofSeconds(3);
    /** The bound: each divergence shows its final status within grace + 5 s of being planted. */
    private static final Duration WITHIN = GRACE.plusSeconds(5);

    @Test
    void eachPlantedDivergenceGetsItsStatusAndFieldsWithinGraceAndRepairsReturnToMatch() throws Exception {
        try (PipelineFixture f = new PipelineFixture("planted")) {
            // Source and target differ in ways that are not differences: numeric scale, timestamp precision, a
            // renamed and a computed column, an ignored column, the guard column, a column the mapping does not write.
            f.source("CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, display_name text, "
                    + "balance numeric(10,2) NOT NULL, joined timestamp(6) NOT NULL, bio text)",
                "INSERT INTO users SELECT i, 'User' || i || '@Example.com', CASE WHEN i % 2 = 0 THEN 'name ' || i END, "
                    + "i * 1.5, timestamp '2024-05-01 10:00:00.123456' + i * interval '1 day', 'bio ' || i "
                    + "FROM generate_series(1, 5) i");
            f.target("CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text, "
                    + "balance numeric(12,3) NOT NULL, joined timestamp(3) NOT NULL, about text, synced_at timestamptz, "
                    + "created_by text DEFAULT 'migration', _turnout_lsn bigint)",
                "INSERT INTO accounts (id, email, name, balance, joined, about, synced_at, _turnout_lsn) "
                    + "SELECT i, 'user' || i || '@example.com', CASE WHEN i % 2 = 0 THEN 'name ' || i ELSE 'user' || i END, "
                    + "i * 1.5, timestamp '2024-05-01 10:00:00.123456' + i * interval '1 day', 'bio ' || i, now(), 1 "
                    + "FROM generate_series(1, 5) i");
            LoadedConfig config = f.config(List.of("public.users"), "replicate", """
                mappings:
                  - from: public.users
                    to: public.accounts
                    columns:
                      id: row.id
                      email: lower(row.email)
                      name: "!isBlank(row.display_name) ? row.display_name : part(lower(row.email), '@', 0)"
                      balance: row.balance
                      joined: row.joined
                      about: row.bio
                      synced_at: timestamp('2000-01-01T00:00:00Z')
                reconcile:
                  grace: 3s
                  ignore: [synced_at]
                """);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            f.startCapture(config);
            f.startTransform(config);
            ReconcileService reconcile = f.startReconcile(config, meters);

            String statusTopic = TopicNames.reconcile(f.pipeline, ACCOUNTS);
            String summaryTopic = TopicNames.reconcileSummary(f.pipeline);
            await().atMost(PipelineFixture.TIMEOUT).untilAsserted(() -> {
                Map<String, ReconcileStatus> all = f.statuses(statusTopic);
                assertThat(all).hasSize(5);
                assertThat(all.values()).allSatisfy(s -> assertThat(s.getStatus()).as(s.getKey() + " " + s)
                    .isEqualTo(KeyStatus.MATCH));
            });

            f.target("UPDATE accounts SET email = 'hacked@example.com' WHERE id = 1",
                "DELETE FROM accounts WHERE id = 2",
                "INSERT INTO accounts (id, email, balance, joined) VALUES (99, 'ghost@example.com', 0, now())");
            f.source("UPDATE users SET display_name = 'Carol' WHERE id = 3");

            await().atMost(WITHIN).untilAsserted(() -> {
                Map<String, ReconcileStatus> all = f.statuses(statusTopic);
                assertThat(all.get("id=1").getStatus()).isEqualTo(KeyStatus.MISMATCH);
                assertThat(all.get("id=2").getStatus()).isEqualTo(KeyStatus.MISSING);
                assertThat(all.get("id=99").getStatus()).isEqualTo(KeyStatus.EXTRA);
                assertThat(all.get("id=3").getStatus()).isEqualTo(KeyStatus.MISMATCH);
            });
            Map<String, ReconcileStatus> all = f.statuses(statusTopic);
            assertThat(all.get("id=1").getDifferences()).containsExactly(
                new FieldDifference("email", "user1@example.com", "hacked@example.com"));
            assertThat(all.get("id=3").getDifferences()).containsExactly(new FieldDifference("name", "Carol", "user3"));
            assertThat(all.get("id=2").getDifferences()).isEmpty();
            assertThat(all.get("id=3").getSourceLsn()).isGreaterThan(all.get("id=5").getSourceLsn());
            assertThat(all.get("id=3").getTargetLsn()).isEqualTo(1L);
            assertThat(all.get("id=99").getSourceLsn()).isNull();
            assertThat(all.get("id=1").getFirstSeen()).isBeforeOrEqualTo(all.get("id=1").getLastChecked());
            assertThat(all.get("id=4").getStatus()).isEqualTo(KeyStatus.MATCH);
            assertThat(all.get("id=5").getStatus()).isEqualTo(KeyStatus.MATCH);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                ReconcileSummary s = f.summaries(summaryTopic).get("public.accounts");
                assertThat(s).isNotNull();
                assertThat(List.of(s.getMatch(), s.getPending(), s.getMismatch(), s.getMissing(), s.getExtra()))
                    .containsExactly(2L, 0L, 2L, 1L, 1L);
                assertThat(s.getOldestUnresolvedAgeMs()).isNotNull();
                assertThat(s.getSourceLsn()).isEqualTo(all.get("id=3").getSourceLsn());
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(meters.get("turnout.reconcile.keys").tag("table", "public.accounts")
                    .tag("status", "mismatch").gauge().value()).isEqualTo(2.0);
                assertThat(meters.get("turnout.reconcile.oldest.unresolved").tag("table", "public.accounts")
                    .gauge().value()).isPositive();
            });
            assertThat(reconcile.healthy()).isTrue();

            f.target("UPDATE accounts SET email = 'user1@example.com' WHERE id = 1",
                "INSERT INTO accounts (id, email, name, balance, joined, about) VALUES (2, 'user2@example.com', "
                    + "'name 2', 3.0, timestamp '2024-05-03 10:00:00.123456', 'bio 2')",
                "DELETE FROM accounts WHERE id = 99",
                "UPDATE accounts SET name = 'Carol' WHERE id = 3");
            await().atMost(WITHIN).untilAsserted(() -> {
                Map<String, ReconcileStatus> repaired = f.statuses(statusTopic);
                assertThat(repaired.keySet()).containsExactlyInAnyOrder("id=1", "id=2", "id=3", "id=4", "id=5");
                assertThat(repaired.values()).allSatisfy(s -> assertThat(s.getStatus()).isEqualTo(KeyStatus.MATCH));
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                ReconcileSummary s = f.summaries(summaryTopic).get("public.accounts");
                assertThat(List.of(s.getMatch(), s.getPending(), s.getMismatch(), s.getMissing(), s.getExtra()))
                    .containsExactly(5L, 0L, 0L, 0L, 0L);
                assertThat(s.getOldestUnresolvedAgeMs()).isNull();
            });
        }
    }
}
