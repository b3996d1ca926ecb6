package dev.turnout.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.turnout.core.TopicNames;
import dev.turnout.core.config.ConfigLoader;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TableId;
import dev.turnout.schemas.reconcile.FieldDifference;
import dev.turnout.schemas.reconcile.KeyStatus;
import dev.turnout.schemas.reconcile.ReconcileStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * {@code mode: dual-write}: the application (here, the test) writes both databases; Turnout captures both, transforms
 * the source as usual and reconciles, with no applier and no guard column. Writes that reach both databases match; a
 * write the application made to one database only is reported.
 */
class DualWriteReconciliationTest {

    @Test
    void writesToBothDatabasesMatchAndAWriteToOneOnlyIsAMismatch() throws Exception {
        try (PipelineFixture f = new PipelineFixture("dual")) {
            f.source("CREATE TABLE orders (id int PRIMARY KEY, status text NOT NULL, total numeric(10,2) NOT NULL)");
            f.target("CREATE TABLE orders (id int PRIMARY KEY, status text NOT NULL, total numeric(10,2) NOT NULL)");
            // A source row capture never sees inserted (no snapshot), whose delete it then sees: the first record of
            // that key reconciliation reads is a delete.
            f.source("INSERT INTO orders VALUES (9, 'old', 0)");
            String text = f.configText(List.of("public.orders"), "dual-write", "reconcile:\n  grace: 3s\n")
                .replace("  tables: [public.orders]\n", "  tables: [public.orders]\n  snapshot: never\n");
            LoadedConfig config = ConfigLoader.parse("turnout.yaml", text, Map.of());
            f.startCapture(config);
            f.startTransform(config);
            ReconcileService reconcile = f.startReconcile(config, new SimpleMeterRegistry());
            f.source("DELETE FROM orders WHERE id = 9");

            for (String statement : List.of("INSERT INTO orders VALUES (1, 'new', 10.00), (2, 'new', 20.00)",
                "UPDATE orders SET status = 'paid' WHERE id = 1")) {
                f.source(statement);
                f.target(statement);
            }
            String topic = TopicNames.reconcile(f.pipeline, TableId.parse("public.orders"));
            await().atMost(PipelineFixture.TIMEOUT).untilAsserted(() -> {
                Map<String, ReconcileStatus> all = f.statuses(topic);
                assertThat(all.keySet()).containsExactlyInAnyOrder("id=1", "id=2");
                assertThat(all.values()).allSatisfy(s -> assertThat(s.getStatus()).isEqualTo(KeyStatus.MATCH));
                assertThat(all.get("id=1").getTargetLsn()).isNull();
            });
            assertThat(reconcile.healthy()).as("after a delete of a key it never saw: %s", reconcile.failure()).isTrue();

            f.source("UPDATE orders SET status = 'shipped' WHERE id = 2");
            await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
                ReconcileStatus s = f.statuses(topic).get("id=2");
                assertThat(s.getStatus()).isEqualTo(KeyStatus.MISMATCH);
                assertThat(s.getDifferences()).containsExactly(new FieldDifference("status", "shipped", "new"));
            });

            f.target("UPDATE orders SET status = 'shipped' WHERE id = 2");
            await().atMost(Duration.ofSeconds(8)).untilAsserted(() ->
                assertThat(f.statuses(topic).get("id=2").getStatus()).isEqualTo(KeyStatus.MATCH));
        }
    }
}
