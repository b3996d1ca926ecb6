package dev.turnout.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.turnout.app.cli.TurnoutCommand;
import dev.turnout.testkit.Postgres;
import dev.turnout.testkit.SharedInfrastructure;

/** {@code turnout schema apply} against a real source catalog and a real target. */
class SchemaApplyCommandTest {

    private static final String SOURCE = "schema_cli_source_" + ProcessHandle.current().pid();

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TurnoutCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void sourceTable() throws Exception {
        Postgres pg = SharedInfrastructure.postgres();
        pg.createDatabase(SOURCE);
        try (Connection c = pg.connect(SOURCE); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS users (id bigserial PRIMARY KEY, email varchar(120) NOT NULL, "
                + "display_name text, amount numeric(10,2), created_at timestamptz)");
        }
    }

    /** A config whose mapping copies some columns and computes others, into a target database of its own. */
    Path config(String target) throws Exception {
        Postgres pg = SharedInfrastructure.postgres();
        pg.createDatabase(target);
        Path file = dir.resolve("turnout.yaml");
        Files.writeString(file, """
            pipeline: schema
            kafka:
              bootstrap: 127.0.0.1:9092
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
                  name: "!isBlank(row.display_name) ? row.display_name : part(row.email, '@', 0)"
                  amount: row.amount
                  doubled: row.amount * decimal('2')
                  created: row.created_at
                  domain_parts: split(row.email, '@')
                  big: row.id > 1000
            """.formatted(pg.jdbcUrl(SOURCE), pg.jdbcUrl(target)));
        return file;
    }

    @Test
    void aDryRunPrintsTheDdlExecuteCreatesTheTablesAndASecondRunHasNothingToDo() throws Exception {
        String target = "schema_cli_target_" + ProcessHandle.current().pid();
        Path cfg = config(target);

        Result dry = run("schema", "apply", "-c", cfg.toString());
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("""
            -- create table public.accounts
            CREATE TABLE public.accounts (
              id int8 NOT NULL,
              email varchar(120) NOT NULL,
              name text,
              amount numeric(10,2),
              doubled numeric,
              created timestamptz,
              domain_parts jsonb,
              big boolean,
              _turnout_lsn bigint,
              PRIMARY KEY (id)
            );
            """);
        assertThat(dry.out()).contains("CREATE TABLE public.turnout_offsets (", "CREATE TABLE public.turnout_tombstones (",
            "Dry run: 4 statement(s), nothing changed");
        assertThat(tables(target)).as("a dry run writes nothing").isEmpty();

        Result executed = run("schema", "apply", "-c", cfg.toString(), "--execute");
        assertThat(executed.code()).as(executed.err()).isZero();
        assertThat(executed.out()).contains("Done: create table public.accounts",
            "Applied 4 statement(s) to " + SharedInfrastructure.postgres().jdbcUrl(target) + " in one transaction.");
        assertThat(tables(target)).containsExactly("accounts", "turnout_offsets", "turnout_tombstones");

        Result again = run("schema", "apply", "-c", cfg.toString());
        assertThat(again.code()).isZero();
        assertThat(again.out()).startsWith("Nothing to do: ");
    }

    @Test
    void anExistingTableThatCannotHoldTheMappingsOutputExitsOneNamingTheColumn() throws Exception {
        String target = "schema_cli_bad_" + ProcessHandle.current().pid();
        Path cfg = config(target);
        try (Connection c = SharedInfrastructure.postgres().connect(target); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS accounts (id bigint PRIMARY KEY, email text, name integer, "
                + "amount numeric(10,2), doubled numeric, created timestamptz, domain_parts jsonb, big boolean)");
        }

        Result r = run("schema", "apply", "-c", cfg.toString(), "--execute");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("These target tables cannot hold what the mappings write; nothing was changed:",
            "  public.accounts: column name is integer, which cannot hold the mapping's text");
        assertThat(tables(target)).as("nothing ran").containsExactly("accounts");
    }

    @Test
    void anUnreachableTargetIsOneLineNamingItsUrl() throws Exception {
        Path cfg = config("schema_cli_unused_" + ProcessHandle.current().pid());
        String text = Files.readString(cfg).replaceFirst("(target:\\n  url: )\\S+", "$1jdbc:postgresql://127.0.0.1:1/nowhere");
        Files.writeString(cfg, text);
        Result r = run("schema", "apply", "-c", cfg.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).startsWith("turnout apply: Cannot connect to the target database at "
            + "jdbc:postgresql://127.0.0.1:1/nowhere as postgres: ").doesNotContain("\tat ");
    }

    private static List<String> tables(String database) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = SharedInfrastructure.postgres().connect(database); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                 + "'public' ORDER BY table_name")) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }
}
