package dev.turnout.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.turnout.app.cli.TurnoutCommand;
import dev.turnout.app.http.DeclaredMetrics;
import dev.turnout.app.http.Http;
import dev.turnout.app.http.PrometheusText;
import dev.turnout.core.TopicNames;
import dev.turnout.testkit.LoopbackPorts;
import dev.turnout.testkit.Postgres;
import dev.turnout.testkit.SharedInfrastructure;

/** {@code turnout run} and {@code turnout apply} against the testkit's real Kafka and PostgreSQL. */
class RunCommandTest {

    @TempDir
    Path dir;

    /** Never the default 9464, which other processes may hold. */
    final int servicePort = LoopbackPorts.freePort();
    final int dashboardPort = LoopbackPorts.freePort();
    static final ObjectMapper JSON = new ObjectMapper();

    /** A source with a users table, an empty target database, and a config mapping users → accounts. */
    Path config(String pipeline, String nameExpression) throws Exception {
        Postgres pg = SharedInfrastructure.postgres();
        pg.createDatabase(pipeline + "_src");
        pg.createDatabase(pipeline + "_tgt");
        try (Connection c = pg.connect(pipeline + "_src"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, email text NOT NULL, display_name text)");
            st.execute("INSERT INTO users VALUES (1, 'ann@example.com', 'Ann'), (2, 'bob@example.com', NULL) "
                + "ON CONFLICT DO NOTHING");
        }
        Path file = dir.resolve("turnout.yaml");
        Files.writeString(file, """
            pipeline: %s
            kafka:
              bootstrap: %s
            source:
              url: %s
              user: postgres
              tables: [public.users]
            target:
              url: %s
              user: postgres
            mappings:
              - from: public.users
                to: public.accounts
                columns:
                  id: row.id
                  email: row.email
                  name: "%s"
            capture:
              heartbeat: 1s
            service:
              bind: 127.0.0.1:%d
            reconcile:
              grace: 2s
            dashboard:
              bind: 127.0.0.1:%d
            """.formatted(pipeline, SharedInfrastructure.kafka().bootstrap(), pg.jdbcUrl(pipeline + "_src"),
            pg.jdbcUrl(pipeline + "_tgt"), nameExpression, servicePort, dashboardPort));
        return file;
    }

    private static final String NAME = "!isBlank(row.display_name) ? row.display_name : part(row.email, '@', 0)";

    @Test
    void runReplicatesTheSourceIntoTheTargetThroughTheMappingAndExitsThreeNamingThePartThatStops() throws Exception {
        String pipeline = "cli_run_" + ProcessHandle.current().pid();
        Path cfg = config(pipeline, NAME);
        StringWriter schema = new StringWriter();
        assertThat(TurnoutCommand.execute(new PrintWriter(schema, true), new PrintWriter(schema, true), "schema", "apply",
            "-c", cfg.toString(), "--execute")).as(schema.toString()).isZero();
        URI service = URI.create("http://127.0.0.1:" + servicePort);

        CaptureCommandTest.Run run = CaptureCommandTest.start("run", "-c", cfg.toString());
        await().atMost(Duration.ofMinutes(2)).ignoreExceptions()
            .until(() -> Http.get(service, "/health/ready").statusCode() == 200);
        assertThat(Http.get(service, "/health/ready").body()).contains("\"part\":\"capture\",\"state\":\"RUNNING\"",
            "\"part\":\"transform\",\"state\":\"RUNNING\"", "\"part\":\"apply\",\"state\":\"RUNNING\"",
            "\"part\":\"reconcile\",\"state\":\"RUNNING\"", "\"part\":\"dashboard\",\"state\":\"RUNNING\"");
        String target = pipeline + "_tgt";
        await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> rows(target).equals(
            List.of("1 ann@example.com Ann", "2 bob@example.com bob")));

        try (Connection c = SharedInfrastructure.postgres().connect(pipeline + "_src"); Statement st = c.createStatement()) {
            st.execute("INSERT INTO users VALUES (3, 'cy@example.com', '')");
            st.execute("UPDATE users SET display_name = NULL WHERE id = 1");
            st.execute("DELETE FROM users WHERE id = 2");
        }
        await().atMost(Duration.ofMinutes(1)).until(() -> rows(target).equals(
            List.of("1 ann@example.com ann", "3 cy@example.com cy")));

        // Reconciliation sees the target match, and the dashboard (reading its topics) shows it.
        URI dashboard = URI.create("http://127.0.0.1:" + dashboardPort);
        await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> {
            JsonNode counts = JSON.readTree(Http.get(dashboard, "/api/overview").body()).path("tables").get(0)
                .path("counts");
            return counts.path("MATCH").asLong() == 2 && counts.path("PENDING").asLong() == 0
                && counts.path("MISMATCH").asLong() + counts.path("MISSING").asLong() + counts.path("EXTRA").asLong() == 0;
        });

        // Every part's metrics are on /metrics with the values this run produced, named by the catalogue's rules.
        PrometheusText scrape = PrometheusText.parse(Http.get(service, "/metrics").body());
        DeclaredMetrics.assertConventionsAndCatalogue(scrape, pipeline);
        assertThat(total(scrape, "turnout_capture_events_total")).isGreaterThanOrEqualTo(5);
        assertThat(total(scrape, "turnout_transform_records_total")).isGreaterThanOrEqualTo(5);
        assertThat(total(scrape, "turnout_apply_rows_total")).isGreaterThanOrEqualTo(5);
        assertThat(total(scrape, "turnout_apply_batch_seconds_count")).isPositive();
        assertThat(total(scrape, "turnout_apply_visible_latency_seconds_count")).isPositive();
        assertThat(total(scrape, "jvm_memory_used_bytes")).isPositive();
        for (String part : List.of("capture", "transform", "apply", "reconcile", "dashboard")) {
            assertThat(scrape.samples()).as("part %s is up", part).anySatisfy(sample -> {
                assertThat(sample.name()).isEqualTo("turnout_part_up");
                assertThat(sample.labels()).containsEntry("part", part);
                assertThat(sample.value()).isEqualTo(1.0);
            });
        }

        SharedInfrastructure.postgres().dropReplicationSlots(TopicNames.slot(pipeline));
        assertThat(run.exit().get(1, TimeUnit.MINUTES)).isEqualTo(3);
        assertThat(run.err().toString())
            .contains("turnout run: the capture part failed: Replication slot '" + TopicNames.slot(pipeline)
                + "' was dropped")
            .doesNotContain("\tat ");
        assertThatThrownBy(() -> new Socket("127.0.0.1", servicePort).close())
            .as("the service port is closed with the verb").isInstanceOf(ConnectException.class);
    }

    private static double total(PrometheusText scrape, String name) {
        return scrape.samples().stream().filter(s -> s.name().equals(name)).mapToDouble(PrometheusText.Sample::value)
            .sum();
    }

    @Test
    void aMappingErrorIsLocatedInTheConfigAndExitsTwoBeforeAnythingStarts() throws Exception {
        Path cfg = config("cli_badmap_" + ProcessHandle.current().pid(),
            "!isBlank(row.display_nme) ? row.display_nme : part(row.email, '@', 0)");
        for (String verb : List.of("run", "apply")) {
            StringWriter err = new StringWriter();
            int exit = TurnoutCommand.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                verb, "-c", cfg.toString());
            assertThat(exit).as(verb).isEqualTo(2);
            assertThat(err.toString()).as(verb).containsPattern(
                "turnout\\.yaml:\\d+:\\d+: mappings\\[0\\]\\.columns\\.name: unknown column 'display_nme' in public\\.users; "
                    + "did you mean 'display_name'\\?");
        }
    }

    @Test
    void applyWithoutTheTargetTablesExitsThreeWithOneLineNamingTheTable() throws Exception {
        Path cfg = config("cli_notarget_" + ProcessHandle.current().pid(), NAME);
        StringWriter err = new StringWriter();
        int exit = TurnoutCommand.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
            "apply", "-c", cfg.toString());
        assertThat(exit).isEqualTo(3);
        assertThat(err.toString()).startsWith("turnout apply: ").contains("public.accounts").doesNotContain("\tat ");
        assertThatThrownBy(() -> new Socket("127.0.0.1", servicePort).close())
            .as("the service port is closed with the verb").isInstanceOf(ConnectException.class);
    }

    /** The target's accounts as "id email name", by id. */
    private static List<String> rows(String database) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = SharedInfrastructure.postgres().connect(database); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT id, email, name FROM accounts ORDER BY id")) {
            while (r.next()) {
                out.add(r.getLong(1) + " " + r.getString(2) + " " + r.getString(3));
            }
        }
        return out;
    }
}
