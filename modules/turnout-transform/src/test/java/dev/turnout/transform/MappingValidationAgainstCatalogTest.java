package dev.turnout.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.turnout.core.config.ConfigException;
import dev.turnout.core.config.ConfigLoader;
import dev.turnout.core.config.ConfigProblem;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TableId;
import dev.turnout.testkit.Postgres;
import dev.turnout.testkit.SharedInfrastructure;

/**
 * End to end: config text is loaded, its mappings are compiled against tables in a real PostgreSQL catalog, and every
 * problem comes back at once, located in the file.
 */
class MappingValidationAgainstCatalogTest {

    private static final String DATABASE = "transform_validation";
    private static Connection connection;

    /** Line 31 holds mappings[0].columns.name, whose value starts at column 13. */
    private static final String CONFIG = """
        # Mappings of the shop, validated against the source catalog.
        pipeline: shop
        kafka:
          bootstrap: 127.0.0.1:9092
        source:
          url: jdbc:postgresql://127.0.0.1:5432/app
          user: postgres
          tables:
            - public.users
            - public.orders
            - public.logs
            - public.userz
        target:
          url: jdbc:postgresql://127.0.0.1:5433/app
          user: postgres
        mode: replicate
        reconcile:
          grace: 30s
          ignore: [updated_at]
        dashboard:
          bind: 127.0.0.1:8080
        clusters:
          kafka: { bootstrap: 127.0.0.1:9092 }
        mappings:
          - from: public.users
            to: public.accounts
            key: [id]
            columns:
              id: row.id
              email: row.email + 1
              name: row.display_nme
              handle: lower(row.email
          - from: public.orders
            where: row.total
            key: [ordr_id]
        """;

    @BeforeAll
    static void createTables() throws SQLException {
        Postgres pg = SharedInfrastructure.postgres();
        pg.createDatabase(DATABASE);
        connection = pg.connect(DATABASE);
        try (Statement st = connection.createStatement()) {
            st.execute("DROP TABLE IF EXISTS users, orders, logs, conversations, messages");
            st.execute("""
                CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE, display_name text,
                  avatar_url text, created_at timestamptz NOT NULL DEFAULT now(),
                  updated_at timestamptz NOT NULL DEFAULT now())""");
            st.execute("""
                CREATE TABLE orders (order_id bigserial PRIMARY KEY, user_id bigint NOT NULL, total numeric(10, 2),
                  placed_at timestamptz NOT NULL DEFAULT now())""");
            st.execute("CREATE TABLE logs (line text)");
            st.execute("""
                CREATE TABLE conversations (id bigserial PRIMARY KEY, title text NOT NULL, created_by bigint NOT NULL,
                  created_at timestamptz NOT NULL DEFAULT now())""");
            st.execute("""
                CREATE TABLE messages (id bigserial PRIMARY KEY, conversation_id bigint NOT NULL,
                  sender_id bigint NOT NULL, body text NOT NULL, sent_at timestamptz NOT NULL DEFAULT now(),
                  deleted_at timestamptz)""");
        }
    }

    @AfterAll
    static void close() throws SQLException {
        connection.close();
    }

    private static List<String> problems(String config) {
        LoadedConfig loaded = ConfigLoader.parse("turnout.yaml", config, Map.of());
        try {
            Mappings.compile(loaded, new CatalogReader(connection));
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected the mappings to be rejected");
    }

    @Test
    void everyMappingProblemIsReportedAtOnceLocatedInTheFile() {
        assertThat(problems(CONFIG)).containsExactly(
            "turnout.yaml:11:7: source.tables[2]: public.logs has no primary key, and every target row needs a key; "
                + "add a mapping for it with key",
            "turnout.yaml:12:7: source.tables[3]: table public.userz does not exist in the source database, or its "
                + "user may not see it; did you mean 'public.users'?",
            "turnout.yaml:30:14: mappings[0].columns.email: type error at character 11: found no matching overload "
                + "for '_+_' applied to '(string, int)'",
            "turnout.yaml:31:13: mappings[0].columns.name: unknown column 'display_nme' in public.users; "
                + "did you mean 'display_name'?",
            "turnout.yaml:32:15: mappings[0].columns.handle: syntax error at character 16: missing ')' at '<EOF>'",
            "turnout.yaml:34:12: mappings[1].where: where must be a boolean predicate over row, but this expression "
                + "is a decimal",
            "turnout.yaml:35:11: mappings[1].key[0]: unknown column 'ordr_id' in public.orders; "
                + "did you mean 'order_id'?");
    }

    @Test
    void theIssuesExampleMessageReadsExactlyAsDocumented() {
        assertThat(problems(CONFIG)).contains("turnout.yaml:31:13: mappings[0].columns.name: unknown column "
            + "'display_nme' in public.users; did you mean 'display_name'?");
    }

    @Test
    void aCorrectedConfigCompilesAndMapsRows() {
        String fixed = CONFIG
            .replace("    - public.logs\n", "")
            .replace("    - public.userz\n", "")
            .replace("email: row.email + 1", "email: lower(row.email)")
            .replace("row.display_nme", "coalesce(row.display_name, before(row.email, '@'))")
            .replace("lower(row.email\n", "lower(before(row.email, '@'))\n")
            .replace("where: row.total", "where: row.total > decimal('0')")
            .replace("key: [ordr_id]", "key: [order_id]");
        Mappings mappings = Mappings.compile(ConfigLoader.parse("turnout.yaml", fixed, Map.of()),
            new CatalogReader(connection));

        TableMapping accounts = mappings.forSource(TableId.parse("public.users")).orElseThrow();
        Map<String, Object> user = new java.util.HashMap<>(Map.of("id", 3L, "email", "Bob@Example.org",
            "created_at", "2024-05-01T10:00:00Z", "updated_at", "2024-05-01T10:00:00Z"));
        user.put("display_name", null);
        assertThat(accounts.apply(user).orElseThrow().values()).containsExactly(Map.entry("id", 3L),
            Map.entry("email", "bob@example.org"), Map.entry("name", "Bob"), Map.entry("handle", "bob"));

        TableMapping orders = mappings.forSource(TableId.parse("public.orders")).orElseThrow();
        assertThat(orders.key()).containsExactly("order_id");
        assertThat(orders.apply(Map.of("order_id", 1L, "user_id", 3L, "total", new BigDecimal("0.00"),
            "placed_at", "2024-05-01T10:00:00Z"))).as("filtered out").isEmpty();
        assertThat(orders.apply(Map.of("order_id", 1L, "user_id", 3L, "total", new BigDecimal("9.99"),
            "placed_at", "2024-05-01T10:00:00Z")).orElseThrow().key()).containsExactly(Map.entry("order_id", 1L));
    }

    @Test
    void theShippedExampleCompilesAgainstItsChatSchema() {
        Mappings mappings = Mappings.compile(ConfigLoader.load(Path.of("../../examples/turnout.yaml"), Map.of()),
            new CatalogReader(connection));
        assertThat(mappings.all()).hasSize(3);
    }
}
