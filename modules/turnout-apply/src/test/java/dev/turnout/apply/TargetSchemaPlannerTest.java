package dev.turnout.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.turnout.core.config.TableId;

/** Plans against a real target catalog: what is created, what is added, what is refused. */
class TargetSchemaPlannerTest {

    private static TargetTableDefinition.Column column(String name, String type, boolean nullable) {
        return new TargetTableDefinition.Column(name, type, nullable);
    }

    private static final TargetTableDefinition ACCOUNTS = new TargetTableDefinition(TableId.parse("app.accounts"),
        List.of(column("id", "int8", false), column("email", "varchar(120)", false), column("name", "text", true),
            column("order", "bigint", true), column("balance", "numeric(12,2)", true), column("tags", "jsonb", true)),
        List.of("id"));

    @Test
    void missingTablesAreCreatedWithTheKeyAndTheGuardColumnAndASecondPlanHasNothingToDo() throws Exception {
        try (ApplyFixture f = new ApplyFixture("plan_create"); Connection c = f.pg.connect(f.database)) {
            SchemaPlan plan = TargetSchemaPlanner.plan(c, List.of(ACCOUNTS));
            assertThat(plan.problems()).isEmpty();
            assertThat(plan.steps()).extracting(SchemaPlan.Step::description).containsExactly(
                "create public.turnout_offsets (the applier's consumed offsets)",
                "create public.turnout_tombstones (positions of deleted keys)",
                "index public.turnout_tombstones by deletion time (for its cleanup)",
                "create schema app",
                "create table app.accounts");
            assertThat(plan.steps().get(4).sql()).isEqualTo("""
                CREATE TABLE app.accounts (
                  id int8 NOT NULL,
                  email varchar(120) NOT NULL,
                  name text,
                  "order" bigint,
                  balance numeric(12,2),
                  tags jsonb,
                  _turnout_lsn bigint,
                  PRIMARY KEY (id)
                )""");

            TargetSchemaPlanner.execute(c, plan);
            assertThat(f.rows("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'app' "
                + "AND table_name = 'accounts' ORDER BY ordinal_position")).containsExactly(
                List.of("id", "bigint"), List.of("email", "character varying"), List.of("name", "text"),
                List.of("order", "bigint"), List.of("balance", "numeric"), List.of("tags", "jsonb"),
                List.of("_turnout_lsn", "bigint"));
            assertThat(TargetSchemaPlanner.plan(c, List.of(ACCOUNTS)).nothingToDo()).isTrue();
        }
    }

    @Test
    void anExistingTableGetsTheGuardColumnAndColumnsThatCanHoldTheMappingsTypesPass() throws Exception {
        try (ApplyFixture f = new ApplyFixture("plan_guard"); Connection c = f.pg.connect(f.database)) {
            f.sql("CREATE SCHEMA app",
                // Wider or assignable types: varchar(200) for varchar(120), integer for int8 (an assignment cast),
                // text[] for jsonb (JSON arrays are written as arrays), an extra nullable column.
                "CREATE TABLE app.accounts (id integer PRIMARY KEY, email varchar(200) NOT NULL, name varchar(50), "
                    + "\"order\" numeric, balance numeric(14,2), tags text[], note text)");
            SchemaPlan plan = TargetSchemaPlanner.plan(c, List.of(ACCOUNTS));
            assertThat(plan.problems()).isEmpty();
            assertThat(plan.steps()).last().satisfies(step -> {
                assertThat(step.description()).startsWith("add the guard column _turnout_lsn to app.accounts");
                assertThat(step.sql()).isEqualTo("ALTER TABLE app.accounts ADD COLUMN _turnout_lsn bigint");
            });
        }
    }

    @Test
    void anExistingTableThatCannotHoldTheMappingsOutputIsAProblemNamingTheColumn() throws Exception {
        try (ApplyFixture f = new ApplyFixture("plan_bad"); Connection c = f.pg.connect(f.database)) {
            f.sql("CREATE SCHEMA app",
                "CREATE TABLE app.accounts (id bigint, email varchar(20) NOT NULL, name integer, balance numeric(8,2), "
                    + "tags bytea, created timestamptz NOT NULL, _turnout_lsn bigint)");
            SchemaPlan plan = TargetSchemaPlanner.plan(c, List.of(ACCOUNTS));
            assertThat(plan.problems()).containsExactly(
                "app.accounts: column email is character varying(20), which is shorter than the mapping's varchar(120)",
                "app.accounts: column name is integer, which cannot hold the mapping's text",
                "app.accounts: column order is missing; the mapping writes it as bigint (add it: ALTER TABLE app.accounts "
                    + "ADD COLUMN \"order\" bigint)",
                "app.accounts: column balance is numeric(8,2), which is less precise than the mapping's numeric(12,2)",
                "app.accounts: column tags is bytea, which cannot hold the mapping's jsonb",
                "app.accounts: the mapping's key (id) is not its primary key or a unique index; the applier's upserts "
                    + "need one",
                "app.accounts: column created is NOT NULL without a default, and the mapping does not write it, so no "
                    + "row could be inserted");
        }
    }
}
