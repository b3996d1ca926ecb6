package dev.turnout.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalInt;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.turnout.core.config.TableId;
import dev.turnout.testkit.Postgres;
import dev.turnout.testkit.SharedInfrastructure;

/** Reads schemas from a real PostgreSQL catalog. */
class CatalogReaderTest {

    private static final String DATABASE = "transform_catalog";
    private static Connection connection;

    @BeforeAll
    static void createTables() throws SQLException {
        Postgres pg = SharedInfrastructure.postgres();
        pg.createDatabase(DATABASE);
        connection = pg.connect(DATABASE);
        try (Statement st = connection.createStatement()) {
            st.execute("DROP TABLE IF EXISTS users, order_lines, logs");
            st.execute("DROP TYPE IF EXISTS mood");
            st.execute("CREATE TYPE mood AS ENUM ('happy', 'sad')");
            st.execute("""
                CREATE TABLE users (
                  id bigserial PRIMARY KEY, email text NOT NULL, display_name varchar(80), amount numeric(10, 2),
                  born_on date, created_at timestamp, seen_at timestamp(3), updated_at timestamptz, starts time,
                  tags text[], payload jsonb, avatar bytea, feeling mood, active boolean NOT NULL DEFAULT true)""");
            st.execute("""
                CREATE TABLE order_lines (
                  order_id int NOT NULL, line_no smallint NOT NULL, sku text, PRIMARY KEY (line_no, order_id))""");
            st.execute("CREATE TABLE logs (line text)");
        }
    }

    @AfterAll
    static void close() throws SQLException {
        connection.close();
    }

    @Test
    void readsColumnsInTableOrderWithTypesNullabilityAndPrecision() {
        SourceSchema users = new CatalogReader(connection).schema(TableId.parse("public.users"));
        assertThat(users.table()).isEqualTo(TableId.parse("public.users"));
        assertThat(users.columns()).extracting(SourceColumn::name, SourceColumn::type).containsExactly(
            tuple("id", "int8"), tuple("email", "text"), tuple("display_name", "varchar"), tuple("amount", "numeric"),
            tuple("born_on", "date"), tuple("created_at", "timestamp"), tuple("seen_at", "timestamp"),
            tuple("updated_at", "timestamptz"), tuple("starts", "time"), tuple("tags", "_text"),
            tuple("payload", "jsonb"), tuple("avatar", "bytea"), tuple("feeling", "mood"), tuple("active", "bool"));
        assertThat(users.column("id").orElseThrow().nullable()).isFalse();
        assertThat(users.column("email").orElseThrow().nullable()).isFalse();
        assertThat(users.column("display_name").orElseThrow().nullable()).isTrue();
        assertThat(users.column("created_at").orElseThrow().datetimePrecision()).hasValue(6);
        assertThat(users.column("seen_at").orElseThrow().datetimePrecision()).hasValue(3);
        assertThat(users.column("amount").orElseThrow().datetimePrecision()).isEmpty();
    }

    @Test
    void readsThePrimaryKeyInKeyOrderNotColumnOrder() {
        SourceSchema lines = new CatalogReader(connection).schema(TableId.parse("public.order_lines"));
        assertThat(lines.primaryKey()).extracting(SourceColumn::name).containsExactly("line_no", "order_id");
        assertThat(lines.column("order_id").orElseThrow().primaryKeyPosition()).hasValue(2);
        assertThat(lines.column("sku").orElseThrow().primaryKeyPosition()).isEqualTo(OptionalInt.empty());
        assertThat(new CatalogReader(connection).schema(TableId.parse("public.users")).primaryKey())
            .extracting(SourceColumn::name).containsExactly("id");
    }

    @Test
    void aTableWithoutPrimaryKeyHasAnEmptyKey() {
        assertThat(new CatalogReader(connection).schema(TableId.parse("public.logs")).primaryKey()).isEmpty();
    }

    @Test
    void anUnknownTableIsAClearErrorWithANearName() {
        assertThatThrownBy(() -> new CatalogReader(connection).schema(TableId.parse("public.userz")))
            .isInstanceOf(UnknownTableException.class)
            .hasMessage("table public.userz does not exist in the source database, or its user may not see it; "
                + "did you mean 'public.users'?");
    }

    @Test
    void theSchemaReadTypeChecksExpressionsOverEveryColumnType() {
        SourceSchema users = new CatalogReader(connection).schema(TableId.parse("public.users"));
        TableMapping copy = TableMapping.identity(users);
        assertThat(copy.columns()).extracting(TargetColumn::name, TargetColumn::type).containsExactly(
            tuple("id", "int"), tuple("email", "string"), tuple("display_name", "string"), tuple("amount", "decimal"),
            tuple("born_on", "timestamp"), tuple("created_at", "timestamp"), tuple("seen_at", "timestamp"),
            tuple("updated_at", "timestamp"), tuple("starts", "duration"), tuple("tags", "list(string)"),
            tuple("payload", "string"), tuple("avatar", "bytes"), tuple("feeling", "dyn"), tuple("active", "bool"));
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }
}
