package dev.turnout.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.turnout.core.config.TableId;
import dev.turnout.core.config.TurnoutConfig.MappingConfig;
import dev.turnout.testkit.Postgres;
import dev.turnout.testkit.SharedInfrastructure;

/** Target column types from mappings over a real source catalog. */
class TargetColumnTypesTest {

    private static final String DATABASE = "transform_target_types";
    private static final TableId USERS = TableId.parse("public.users");
    private static Connection connection;

    @BeforeAll
    static void createTables() throws SQLException {
        Postgres pg = SharedInfrastructure.postgres();
        pg.createDatabase(DATABASE);
        connection = pg.connect(DATABASE);
        try (Statement st = connection.createStatement()) {
            st.execute("DROP TABLE IF EXISTS users");
            st.execute("DROP TYPE IF EXISTS mood");
            st.execute("CREATE TYPE mood AS ENUM ('happy', 'sad')");
            st.execute("""
                CREATE TABLE users (
                  id bigserial PRIMARY KEY, email varchar(120) NOT NULL, code char(3), amount numeric(10, 2),
                  ratio numeric, seen_at timestamp(3), updated_at timestamptz, tags text[], feeling mood,
                  display_name text)""");
        }
    }

    @AfterAll
    static void close() throws SQLException {
        connection.close();
    }

    @Test
    void theCatalogGivesDeclaredLengthPrecisionAndScale() {
        SourceSchema users = new CatalogReader(connection).schema(USERS);
        assertThat(users.column("email").orElseThrow().modifiers()).isEqualTo(TypeModifiers.length(120));
        assertThat(users.column("code").orElseThrow().modifiers()).isEqualTo(TypeModifiers.length(3));
        assertThat(users.column("amount").orElseThrow().modifiers()).isEqualTo(TypeModifiers.numeric(10, 2));
        assertThat(users.column("ratio").orElseThrow().modifiers()).isEqualTo(TypeModifiers.NONE);
        assertThat(users.column("id").orElseThrow().modifiers()).isEqualTo(TypeModifiers.NONE);
    }

    @Test
    void aCopyKeepsItsSourceTypeAndAComputedColumnTakesItsCelType() {
        SourceSchema schema = new CatalogReader(connection).schema(USERS);
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("id", "row.id");
        columns.put("email", "row.email");
        columns.put("code", "row.code");
        columns.put("amount", "row.amount");
        columns.put("seen_at", "row.seen_at");
        columns.put("tags", "row.tags");
        columns.put("feeling", "row.feeling");
        columns.put("name", "coalesce(row.display_name, before(row.email, '@'))");
        columns.put("id_text", "string(row.id)");
        columns.put("doubled", "row.amount * decimal('2')");
        columns.put("big", "row.id * 2");
        columns.put("ratio_d", "double(row.id) / 3.0");
        columns.put("active", "row.id > 10");
        columns.put("raw", "bytes(row.email)");
        columns.put("later", "row.updated_at + duration('1h')");
        columns.put("gap", "row.updated_at - row.updated_at");
        columns.put("parts", "split(row.email, '@')");
        TableMapping mapping = TableMapping.compile(
            new MappingConfig(USERS, TableId.parse("public.accounts"), List.of("id"), columns, Optional.empty()), schema);

        assertThat(TargetColumnTypes.of(mapping, schema))
            .extracting(TargetColumnTypes.TypedColumn::name, TargetColumnTypes.TypedColumn::sqlType,
                TargetColumnTypes.TypedColumn::nullable)
            .containsExactly(
                tuple("id", "int8", false),
                tuple("email", "varchar(120)", false),
                tuple("code", "bpchar(3)", true),
                tuple("amount", "numeric(10,2)", true),
                tuple("seen_at", "timestamp(3)", true),
                tuple("tags", "text[]", true),
                tuple("feeling", "text", true),
                tuple("name", "text", true),
                tuple("id_text", "text", true),
                tuple("doubled", "numeric", true),
                tuple("big", "bigint", true),
                tuple("ratio_d", "double precision", true),
                tuple("active", "boolean", true),
                tuple("raw", "bytea", true),
                tuple("later", "timestamptz", true),
                tuple("gap", "interval", true),
                tuple("parts", "jsonb", true));
    }

    @Test
    void theCopyOfATableWithoutMappingKeepsEveryColumnsType() {
        SourceSchema schema = new CatalogReader(connection).schema(USERS);
        assertThat(TargetColumnTypes.of(TableMapping.identity(schema), schema))
            .extracting(TargetColumnTypes.TypedColumn::name, TargetColumnTypes.TypedColumn::sqlType)
            .containsExactly(tuple("id", "int8"), tuple("email", "varchar(120)"), tuple("code", "bpchar(3)"),
                tuple("amount", "numeric(10,2)"), tuple("ratio", "numeric"), tuple("seen_at", "timestamp(3)"),
                tuple("updated_at", "timestamptz"), tuple("tags", "text[]"), tuple("feeling", "text"),
                tuple("display_name", "text"));
    }
}
