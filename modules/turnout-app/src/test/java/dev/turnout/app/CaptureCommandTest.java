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
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.turnout.app.cli.TurnoutCommand;
import dev.turnout.app.http.Http;
import dev.turnout.app.http.PrometheusText;
import dev.turnout.capture.SlotInspector;
import dev.turnout.core.TopicNames;
import dev.turnout.testkit.LoopbackPorts;
import dev.turnout.testkit.Postgres;
import dev.turnout.testkit.SharedInfrastructure;

class CaptureCommandTest {

    @TempDir
    Path dir;

    record Run(CompletableFuture<Integer> exit, StringWriter out, StringWriter err) {
    }

    static Run start(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() ->
            TurnoutCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args));
        return new Run(exit, out, err);
    }

    /** The service port every config of this class binds (never the default 9464, which other processes may hold). */
    final int servicePort = LoopbackPorts.freePort();

    Path config(String pipeline) throws Exception {
        Postgres pg = SharedInfrastructure.postgres();
        pg.createDatabase(pipeline);
        try (Connection c = pg.connect(pipeline); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS items (id int PRIMARY KEY, name text)");
            st.execute("INSERT INTO items VALUES (1, 'a') ON CONFLICT DO NOTHING");
        }
        Path file = dir.resolve("turnout.yaml");
        Files.writeString(file, """
            pipeline: %s
            kafka:
              bootstrap: %s
            source:
              url: %s
              user: postgres
              tables: [public.items]
            target:
              url: %s
              user: postgres
            capture:
              heartbeat: 1s
            service:
              bind: 127.0.0.1:%d
            """.formatted(pipeline, SharedInfrastructure.kafka().bootstrap(), pg.jdbcUrl(pipeline), pg.jdbcUrl(pipeline),
                servicePort));
        return file;
    }

    @Test
    void captureExitsThreeWithinTenSecondsWhenItsSlotIsDropped() throws Exception {
        String pipeline = "cli_slot_" + ProcessHandle.current().pid();
        Path cfg = config(pipeline);
        Postgres pg = SharedInfrastructure.postgres();
        SlotInspector slots = new SlotInspector(pg.jdbcUrl(pipeline), Postgres.USER, "");
        Run run = start("capture", "-c", cfg.toString());
        await().atMost(Duration.ofMinutes(1)).ignoreExceptions()
            .until(() -> slots.slot(TopicNames.slot(pipeline)).map(SlotInspector.SlotState::active).orElse(false));

        StringWriter statusOut = new StringWriter();
        int statusExit = TurnoutCommand.execute(new PrintWriter(statusOut, true), new PrintWriter(new StringWriter(), true),
            "slot", "status", "-c", cfg.toString());
        assertThat(statusExit).isZero();
        assertThat(statusOut.toString()).contains("SLOT", TopicNames.slot(pipeline), "true");

        long dropped = System.nanoTime();
        pg.dropReplicationSlots(TopicNames.slot(pipeline));
        int exit = run.exit().get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - dropped)).isLessThan(Duration.ofSeconds(10));
        assertThat(exit).isEqualTo(3);
        assertThat(run.err().toString())
            .contains("Replication slot '" + TopicNames.slot(pipeline) + "' was dropped")
            .contains("capture stopped")
            .doesNotContain("\tat ");

        StringWriter missingErr = new StringWriter();
        assertThat(TurnoutCommand.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(missingErr, true),
            "slot", "status", "-c", cfg.toString())).isEqualTo(3);
        assertThat(missingErr.toString()).contains("does not exist");
    }

    @Test
    void captureServesMetricsAndHealthOnServiceBindUntilItStops() throws Exception {
        String pipeline = "cli_service_" + ProcessHandle.current().pid();
        Path cfg = config(pipeline);
        URI service = URI.create("http://127.0.0.1:" + servicePort);
        Run run = start("capture", "-c", cfg.toString());
        await().atMost(Duration.ofMinutes(1)).ignoreExceptions()
            .until(() -> Http.get(service, "/health/ready").statusCode() == 200);
        assertThat(Http.get(service, "/health/ready").body()).contains("\"part\":\"capture\",\"state\":\"RUNNING\"");
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(PrometheusText.parse(
            Http.get(service, "/metrics").body()).value("turnout_capture_events_total", Map.of("pipeline", pipeline)))
            .hasValueSatisfying(events -> assertThat(events).isPositive()));

        SharedInfrastructure.postgres().dropReplicationSlots(TopicNames.slot(pipeline));
        assertThat(run.exit().get(30, TimeUnit.SECONDS)).isEqualTo(3);
        assertThatThrownBy(() -> new Socket("127.0.0.1", servicePort).close())
            .as("the service port is closed with the verb").isInstanceOf(ConnectException.class);
    }

    @Test
    void snapshotRefusesATableThatIsNotCaptured() throws Exception {
        Path cfg = config("cli_snap_" + ProcessHandle.current().pid());
        StringWriter err = new StringWriter();
        int exit = TurnoutCommand.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
            "snapshot", "-c", cfg.toString(), "--table", "public.orders");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--table: public.orders is not in source.tables [public.items]");
    }

    @Test
    void slotDropIsADryRunUnlessExecuted() throws Exception {
        String pipeline = "cli_drop_" + ProcessHandle.current().pid();
        Path cfg = config(pipeline);
        Postgres pg = SharedInfrastructure.postgres();
        try (Connection c = pg.connect(pipeline); Statement st = c.createStatement()) {
            st.execute("SELECT pg_create_logical_replication_slot('" + TopicNames.slot(pipeline) + "', 'pgoutput')");
        }
        StringWriter out = new StringWriter();
        assertThat(TurnoutCommand.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
            "slot", "drop", "-c", cfg.toString())).isZero();
        assertThat(out.toString()).contains("Would drop replication slot '" + TopicNames.slot(pipeline) + "'");
        SlotInspector slots = new SlotInspector(pg.jdbcUrl(pipeline), Postgres.USER, "");
        assertThat(slots.slot(TopicNames.slot(pipeline))).isPresent();

        assertThat(TurnoutCommand.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true),
            "slot", "drop", "-c", cfg.toString(), "--execute")).isZero();
        assertThat(slots.slot(TopicNames.slot(pipeline))).isEmpty();
    }
}
