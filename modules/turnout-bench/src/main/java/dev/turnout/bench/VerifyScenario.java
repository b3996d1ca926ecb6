package dev.turnout.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import dev.turnout.core.config.TableId;
import dev.turnout.testkit.Postgres;

/**
 * Verify throughput: {@code turnout verify} over equal tables, then over the same tables with planted differences.
 * Not part of {@link BenchSuite}'s default scenarios: the verifier (module turnout-reconcile) is not on this branch, so
 * this scenario takes it as a {@link TableVerifier} and is added to the suite where the verifier is available:
 * {@code new VerifyScenario((config, table) -> ...)}.
 *
 * <p>Both databases get the same generated rows of {@code public.users} (the target's table created by the schema
 * planner, so it has the guard column); the planted run then changes {@value #PLANTED} rows' display name on the target,
 * deletes {@value #PLANTED} and adds {@value #PLANTED}, and checks that the verifier reports all of them.
 */
final class VerifyScenario implements Scenario {

    static final int PLANTED = 100;

    /** The verifier under test; the lead implements it with turnout-reconcile's verifier. */
    @FunctionalInterface
    interface TableVerifier {
        /**
         * Compares {@code table} between the config's source and target at one source position and returns the number
         * of keys that differ (changed, missing or extra).
         */
        long differences(Path configFile, TableId table) throws Exception;
    }

    private static final String ROWS = "INSERT INTO public.users (id, email, display_name, avatar_url, created_at, "
        + "updated_at) SELECT g, 'user' || g || '@example.com', 'User ' || g || ' v0', "
        + "'https://cdn.example.com/avatars/' || g || '/0.png', timestamptz '2024-01-01 00:00:00+00' + g * interval '1 s', "
        + "timestamptz '2024-01-01 00:00:00+00' + g * interval '1 s' FROM generate_series(%d, %d) g";

    private final TableVerifier verifier;

    VerifyScenario(TableVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public List<Figure> run(BenchEnvironment env) throws Exception {
        int rows = env.sizes().verifyRows();
        String database = "verify_db";
        env.createSource(database);
        env.target().createDatabase(database);
        Path config = env.pipelineConfig("bench_verify", database, database);
        TargetSchema.apply(config);
        sql(env.source(), database, ROWS.formatted(1, rows));
        sql(env.target(), database, ROWS.formatted(1, rows));
        TableId table = TableId.parse(UsersTable.TABLE);

        long started = System.nanoTime();
        long equalDifferences = verifier.differences(config, table);
        double equalSeconds = (System.nanoTime() - started) / 1e9;
        if (equalDifferences != 0) {
            throw new IllegalStateException("verify reported " + equalDifferences + " differences on equal tables");
        }

        int step = Math.max(1, rows / (2 * PLANTED));
        sql(env.target(), database,
            "UPDATE public.users SET display_name = 'planted' WHERE id IN (SELECT g * " + step
                + " FROM generate_series(1, " + PLANTED + ") g)",
            "DELETE FROM public.users WHERE id IN (SELECT g * " + step + " + 1 FROM generate_series(1, " + PLANTED
                + ") g)",
            ROWS.formatted(rows + 1, rows + PLANTED));
        started = System.nanoTime();
        long plantedDifferences = verifier.differences(config, table);
        double plantedSeconds = (System.nanoTime() - started) / 1e9;
        if (plantedDifferences != 3L * PLANTED) {
            throw new IllegalStateException("verify reported " + plantedDifferences + " differences, " + 3 * PLANTED
                + " were planted");
        }
        return List.of(
            Figure.atLeast("verify", "equal", rows / equalSeconds, "rows/s", 2_000_000, rows + " equal rows"),
            Figure.of("verify", "planted", rows / plantedSeconds, "rows/s",
                3 * PLANTED + " planted differences (changed, missing, extra), all reported"));
    }

    private static void sql(Postgres pg, String database, String... statements) throws SQLException {
        try (Connection c = pg.connect(database); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }
}
