package dev.turnout.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

import dev.turnout.core.config.ConfigLoader;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TableId;
import dev.turnout.reconcile.verify.Verifier;
import dev.turnout.reconcile.verify.VerifyOptions;
import dev.turnout.reconcile.verify.VerifyProgress;
import dev.turnout.reconcile.verify.VerifyReport;
import dev.turnout.testkit.Postgres;

/**
 * Verify throughput: {@code turnout verify} (turnout-reconcile's {@link Verifier}) over equal tables, then over the
 * same tables with planted differences.
 *
 * <p>Both databases get the same generated rows of {@code public.users} (the target's table created by the schema
 * planner, so it has the guard column) written directly, so the pipeline is in {@code mode: dual-write}: verify takes
 * its source position and compares without waiting for an applier. The planted run then changes {@value #PLANTED}
 * rows' display name on the target, deletes {@value #PLANTED} and adds {@value #PLANTED}, and checks that verify
 * reports all of them.
 */
final class VerifyScenario implements Scenario {

    static final int PLANTED = 100;

    private static final String ROWS = "INSERT INTO public.users (id, email, display_name, avatar_url, created_at, "
        + "updated_at) SELECT g, 'user' || g || '@example.com', 'User ' || g || ' v0', "
        + "'https://cdn.example.com/avatars/' || g || '/0.png', timestamptz '2024-01-01 00:00:00+00' + g * interval '1 s', "
        + "timestamptz '2024-01-01 00:00:00+00' + g * interval '1 s' FROM generate_series(%d, %d) g";

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
        Files.writeString(config, "mode: dual-write\nreconcile:\n  verify:\n    settle: 1s\n",
            StandardOpenOption.APPEND);
        TargetSchema.apply(config);
        sql(env.source(), database, ROWS.formatted(1, rows));
        sql(env.target(), database, ROWS.formatted(1, rows));
        // As a live table is: vacuumed, so the first scan does not set every row's hint bits, and autovacuum does not
        // start on both servers in the middle of the timed run.
        sql(env.source(), database, "VACUUM ANALYZE public.users");
        sql(env.target(), database, "VACUUM ANALYZE public.users");
        TableId table = TableId.parse(UsersTable.TABLE);

        long started = System.nanoTime();
        long equalDifferences = differences(config, table);
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
        long plantedDifferences = differences(config, table);
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

    /** Keys verify reports as changed, missing or extra in {@code table}. */
    private static long differences(Path config, TableId table) {
        LoadedConfig loaded = ConfigLoader.load(config);
        VerifyOptions defaults = VerifyOptions.from(loaded.config());
        VerifyOptions options = new VerifyOptions(Optional.of(table.toString()), defaults.bisectionFactor(),
            defaults.bisectionThreshold(), defaults.timeout(), defaults.settle(), defaults.samples());
        VerifyReport report = Verifier.run(loaded, options, VerifyProgress.NONE);
        return report.tables().stream().mapToLong(t -> t.missing() + t.extra() + t.mismatched()).sum();
    }

    private static void sql(Postgres pg, String database, String... statements) throws SQLException {
        try (Connection c = pg.connect(database); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }
}
