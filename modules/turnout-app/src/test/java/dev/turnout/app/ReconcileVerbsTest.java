package dev.turnout.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.turnout.app.cli.TurnoutCommand;
import dev.turnout.app.http.DeclaredMetrics;
import dev.turnout.app.http.Http;
import dev.turnout.app.http.PrometheusText;
import dev.turnout.core.TopicNames;
import dev.turnout.testkit.LoopbackPorts;
import dev.turnout.testkit.Postgres;
import dev.turnout.testkit.SharedInfrastructure;

/**
 * {@code turnout verify}, {@code turnout schema diff} and {@code turnout reconcile} as an operator runs them: exit codes,
 * what they print, and the JSON reports, against real source and target databases.
 */
class ReconcileVerbsTest {

    @TempDir
    Path dir;

    /** Never the default 9464, which other processes may hold. */
    final int servicePort = LoopbackPorts.freePort();

    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = TurnoutCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** Source and target databases with {@code users} → {@code accounts}, equal, and a config in {@code mode}. */
    Path pipeline(String name, String mode) throws Exception {
        Postgres pg = SharedInfrastructure.postgres();
        String source = name + "_" + ProcessHandle.current().pid();
        String target = source + "_t";
        pg.createDatabase(source);
        pg.createDatabase(target);
        sql(pg, source, "CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, nick text)",
            "INSERT INTO users SELECT i, 'U' || i || '@example.com', 'n' || i FROM generate_series(1, 300) i");
        sql(pg, target, "CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, nick text, "
                + "_turnout_lsn bigint)",
            "INSERT INTO accounts SELECT i, 'u' || i || '@example.com', 'n' || i, 1 FROM generate_series(1, 300) i");
        Path file = dir.resolve(name + ".yaml");
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
            mode: %s
            mappings:
              - from: public.users
                to: public.accounts
                columns:
                  id: row.id
                  email: lower(row.email)
                  nick: row.nick
            reconcile:
              grace: 2s
              verify:
                settle: 200ms
            service:
              bind: 127.0.0.1:%d
            """.formatted(source, SharedInfrastructure.kafka().bootstrap(), pg.jdbcUrl(source), pg.jdbcUrl(target),
            mode, servicePort));
        return file;
    }

    static void sql(Postgres pg, String database, String... statements) throws SQLException {
        try (Connection c = pg.connect(database); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    @Test
    void verifyExitsZeroWhenEqualAndOneWithDifferencesAndWritesItsReport() throws Exception {
        Path cfg = pipeline("cli_verify", "dual-write");
        Result equal = run("verify", "-c", cfg.toString());
        assertThat(equal.exit()).as(equal.err()).isZero();
        assertThat(equal.out()).contains("TABLE", "public.accounts", "checksum+merge", "Equal at source position");
        assertThat(equal.err()).contains("rows public.accounts");

        String target = "cli_verify_" + ProcessHandle.current().pid() + "_t";
        sql(SharedInfrastructure.postgres(), target, "UPDATE accounts SET nick = 'changed' WHERE id = 7",
            "DELETE FROM accounts WHERE id = 8");
        Path report = dir.resolve("verify.json");
        Result differs = run("verify", "-c", cfg.toString(), "--table", "public.users", "--report", report.toString(),
            "--bisection-factor", "4", "--bisection-threshold", "50");
        assertThat(differs.exit()).as(differs.err()).isEqualTo(1);
        assertThat(differs.out()).contains("mismatch   public.accounts id=7 nick: expected n7, actual changed",
            "missing    public.accounts id=8", "Differences found");

        JsonNode json = JsonMapper.builder().build().readTree(report.toFile());
        JsonNode table = json.get("tables").get(0);
        assertThat(json.get("mode").asText()).isEqualTo("dual-write");
        assertThat(table.get("target").asText()).isEqualTo("public.accounts");
        assertThat(table.get("sourceRows").asLong()).isEqualTo(300);
        assertThat(table.get("targetRows").asLong()).isEqualTo(299);
        assertThat(table.get("missingSample").get(0).asText()).isEqualTo("id=8");
        assertThat(table.get("mismatchSample").get(0).get("fields").get(0).get("field").asText()).isEqualTo("nick");
        assertThat(table.get("rowsCompared").asLong()).isPositive();
        assertThat(table.has("rowsPerSecond")).isTrue();
        assertThat(table.has("durationMs")).isTrue();
    }

    @Test
    void verifyRefusesATableOutsideThePipelineWithExitTwo() throws Exception {
        Path cfg = pipeline("cli_verify_table", "dual-write");
        Result r = run("verify", "-c", cfg.toString(), "--table", "public.acounts");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--table: public.acounts is neither a source nor a target table of the pipeline; "
            + "did you mean 'public.accounts'?").doesNotContain("\tat ");
    }

    @Test
    void verifyInReplicateModeExitsThreeWhenCaptureHasNeverRun() throws Exception {
        Path cfg = pipeline("cli_verify_nocapture", "replicate");
        Result r = run("verify", "-c", cfg.toString(), "--timeout", "2s");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("has capture ever run for pipeline").doesNotContain("\tat ");
    }

    @Test
    void schemaDiffExitsOneWhenTheTargetCannotHoldTheMappingsAndWritesJson() throws Exception {
        Path cfg = pipeline("cli_schema", "replicate");
        Result ok = run("schema", "diff", "-c", cfg.toString());
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();

        String target = "cli_schema_" + ProcessHandle.current().pid() + "_t";
        sql(SharedInfrastructure.postgres(), target, "ALTER TABLE accounts ALTER COLUMN nick TYPE varchar(5)");
        Path report = dir.resolve("schema.json");
        Result r = run("schema", "diff", "-c", cfg.toString(), "--report", report.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("public.accounts", "nick", "ERROR", "TYPE_CHANGED",
            "values longer than 5 characters do not fit", "The target cannot hold what the mappings write");
        JsonNode json = JsonMapper.builder().build().readTree(report.toFile());
        assertThat(json.get("tables").get(0).get("findings")).anySatisfy(f -> {
            assertThat(f.get("column").asText()).isEqualTo("nick");
            assertThat(f.get("severity").asText()).isEqualTo("ERROR");
            assertThat(f.get("target").asText()).isEqualTo("character varying(5)");
        });
    }

    @Test
    void reconcileRefusesATargetTableThatDoesNotExistWithExitTwo() throws Exception {
        Path cfg = pipeline("cli_reconcile", "replicate");
        String target = "cli_reconcile_" + ProcessHandle.current().pid() + "_t";
        sql(SharedInfrastructure.postgres(), target, "DROP TABLE accounts");
        Result r = run("reconcile", "-c", cfg.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("turnout reconcile: public.accounts: the table does not exist in the target "
            + "database").doesNotContain("\tat ");
    }

    @Test
    void reconcileRunsUntilItsTargetCaptureFailsPublishingKeyStatusMetrics() throws Exception {
        // Nothing captures or transforms the source here: every target row is only in the target, so EXTRA.
        Path cfg = pipeline("cli_reconcile_run", "dual-write");
        String pipeline = "cli_reconcile_run_" + ProcessHandle.current().pid();
        URI service = URI.create("http://127.0.0.1:" + servicePort);
        CaptureCommandTest.Run run = CaptureCommandTest.start("reconcile", "-c", cfg.toString());
        await().atMost(Duration.ofMinutes(2)).ignoreExceptions()
            .until(() -> Http.get(service, "/health/ready").statusCode() == 200);
        assertThat(Http.get(service, "/health/ready").body()).contains("\"part\":\"reconcile\",\"state\":\"RUNNING\"");

        await().atMost(Duration.ofMinutes(1)).ignoreExceptions().untilAsserted(() -> {
            PrometheusText scrape = PrometheusText.parse(Http.get(service, "/metrics").body());
            assertThat(scrape.samples()).anySatisfy(sample -> {
                assertThat(sample.name()).isEqualTo("turnout_reconcile_keys");
                assertThat(sample.labels()).containsEntry("table", "public.accounts").containsEntry("status", "extra");
                assertThat(sample.value()).isEqualTo(300.0);
            });
        });
        PrometheusText scrape = PrometheusText.parse(Http.get(service, "/metrics").body());
        DeclaredMetrics.assertConventionsAndCatalogue(scrape, pipeline);
        assertThat(scrape.samples()).anySatisfy(sample -> {
            assertThat(sample.name()).isEqualTo("turnout_reconcile_oldest_unresolved_seconds");
            assertThat(sample.value()).isPositive();
        });

        SharedInfrastructure.postgres().dropReplicationSlots(TopicNames.slot(TopicNames.targetCapture(pipeline)));
        assertThat(run.exit().get(1, TimeUnit.MINUTES)).isEqualTo(3);
        assertThat(run.err().toString()).contains("turnout reconcile: the reconcile part failed: Reconciliation of "
            + "pipeline '" + pipeline + "' stopped: the capture of the target failed: Replication slot '"
            + TopicNames.slot(TopicNames.targetCapture(pipeline)) + "' was dropped").doesNotContain("\tat ");
    }
}
