package dev.turnout.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.turnout.core.config.LoadedConfig;
import dev.turnout.reconcile.compare.Difference;
import dev.turnout.reconcile.verify.Verifier;
import dev.turnout.reconcile.verify.VerifyOptions;
import dev.turnout.reconcile.verify.VerifyProgress;
import dev.turnout.reconcile.verify.VerifyReport;

/**
 * {@code turnout verify} in dual-write mode, where the test itself writes both databases (as the application would):
 * 50,000 equal rows compare equal; planted differences are found, exactly; writes that keep flowing into both
 * databases during the run are not reported. The mapping copies some columns (compared by checksum bisection in SQL)
 * and computes others (compared by the ordered merge in the JVM).
 */
class VerifyDualWriteTest {

    private static final int ROWS = 50_000;
    private PipelineFixture f;
    private LoadedConfig config;

    /** Fresh databases per test: the tests write to them. */
    @BeforeEach
    void tables() {
        f = new PipelineFixture("verify_dw");
        f.source("CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, display_name text, "
                + "balance numeric(10,2) NOT NULL, joined timestamp(6) NOT NULL, tags text[])",
            "INSERT INTO users SELECT i, 'User' || i || '@Example.com', CASE WHEN i % 3 = 0 THEN 'name ' || i END, "
                + "i * 0.25, timestamp '2024-01-01 00:00:00.123456' + i * interval '1 minute', "
                + "ARRAY['t' || (i % 7)] FROM generate_series(1, " + ROWS + ") i");
        f.target("CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text, "
                + "balance numeric(14,4) NOT NULL, joined timestamp(3) NOT NULL, tags text[], note text)",
            "INSERT INTO accounts SELECT i, 'user' || i || '@example.com', "
                + "CASE WHEN i % 3 = 0 THEN 'name ' || i ELSE 'user' || i END, i * 0.25, "
                + "timestamp '2024-01-01 00:00:00.123456' + i * interval '1 minute', ARRAY['t' || (i % 7)], 'n/a' "
                + "FROM generate_series(1, " + ROWS + ") i");
        config = f.config(List.of("public.users"), "dual-write", """
            mappings:
              - from: public.users
                to: public.accounts
                columns:
                  id: row.id
                  email: lower(row.email)
                  name: "!isBlank(row.display_name) ? row.display_name : part(lower(row.email), '@', 0)"
                  balance: row.balance
                  joined: row.joined
                  tags: row.tags
            """);
    }

    @AfterEach
    void close() {
        f.close();
    }

    private VerifyOptions options() {
        return VerifyOptions.from(config.config()).withSettle(Duration.ofMillis(300)).withBisection(8, 200);
    }

    @Test
    void equalTablesOfFiftyThousandRowsCompareEqual() {
        VerifyReport report = Verifier.run(config, options(), VerifyProgress.NONE);

        assertThat(report.equal()).as(report.toString()).isTrue();
        VerifyReport.Table table = report.tables().get(0);
        assertThat(table.method()).isEqualTo("checksum+merge");
        assertThat(table.sourceRows()).isEqualTo(ROWS);
        assertThat(table.targetRows()).isEqualTo(ROWS);
        assertThat(table.rowsCompared()).isEqualTo(ROWS);
        assertThat(table.mismatchSample()).isEmpty();
        assertThat(report.notes()).anySatisfy(n -> assertThat(n).startsWith("dual-write mode"));
    }

    @Test
    void plantedDifferencesAreReportedExactly() {
        // Copied columns (checksums): balance of 100, joined of 200 (a second off), email of 300; computed column
        // (merge): name of 400 and 500; deleted: 600, 700, 800; extra: 900001, 900002.
        f.target("UPDATE accounts SET balance = balance + 1 WHERE id = 100",
            "UPDATE accounts SET joined = joined + interval '1 second' WHERE id = 200",
            "UPDATE accounts SET email = 'x@example.com' WHERE id = 300",
            "UPDATE accounts SET name = 'someone else' WHERE id IN (400, 500)",
            "DELETE FROM accounts WHERE id IN (600, 700, 800)",
            "INSERT INTO accounts VALUES (900001, 'a@b.c', 'a', 1, now(), NULL, NULL), "
                + "(900002, 'd@e.f', 'd', 2, now(), NULL, NULL)");
        VerifyReport report = Verifier.run(config, options(), VerifyProgress.NONE);

        VerifyReport.Table table = report.tables().get(0);
        assertThat(report.equal()).isFalse();
        assertThat(table.mismatched() + table.missing() + table.extra()).isEqualTo(10);
        assertThat(table.mismatchSample()).extracting(VerifyReport.Mismatch::key)
            .containsExactlyInAnyOrder("id=100", "id=200", "id=300", "id=400", "id=500");
        assertThat(table.missingSample()).containsExactlyInAnyOrder("id=600", "id=700", "id=800");
        assertThat(table.extraSample()).containsExactlyInAnyOrder("id=900001", "id=900002");
        assertThat(fields(table, "id=100")).containsExactly(new Difference("balance", "25.00", "26.0000"));
        assertThat(fields(table, "id=300")).containsExactly(new Difference("email", "user300@example.com",
            "x@example.com"));
        assertThat(fields(table, "id=400")).containsExactly(new Difference("name", "user400", "someone else"));
        assertThat(table.unsettled()).isZero();
    }

    @Test
    void writesToBothDatabasesDuringTheRunAreNotReported() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        Thread writer = new Thread(() -> {
            try (Connection s = f.pg.connect(f.sourceDb); Connection t = f.pg.connect(f.targetDb);
                 PreparedStatement su = s.prepareStatement("UPDATE users SET display_name = ?, balance = balance + 1 "
                     + "WHERE id = ?");
                 PreparedStatement tu = t.prepareStatement("UPDATE accounts SET name = ?, balance = balance + 1 "
                     + "WHERE id = ?");
                 PreparedStatement si = s.prepareStatement("INSERT INTO users VALUES (?, ?, NULL, 0, "
                     + "timestamp '2024-06-01 00:00:00', NULL)");
                 PreparedStatement ti = t.prepareStatement("INSERT INTO accounts VALUES (?, ?, ?, 0, "
                     + "timestamp '2024-06-01 00:00:00', NULL, NULL)");
                 PreparedStatement sd = s.prepareStatement("DELETE FROM users WHERE id = ?");
                 PreparedStatement td = t.prepareStatement("DELETE FROM accounts WHERE id = ?")) {
                int next = ROWS + 1_000;
                while (running.get()) {
                    int id = ThreadLocalRandom.current().nextInt(1, ROWS + 1);
                    String name = "live " + writes.get();
                    su.setString(1, name);
                    su.setInt(2, id);
                    su.executeUpdate();
                    tu.setString(1, name);
                    tu.setInt(2, id);
                    tu.executeUpdate();
                    if (writes.get() % 5 == 0) {
                        int fresh = next++;
                        si.setInt(1, fresh);
                        si.setString(2, "n" + fresh + "@example.com");
                        si.executeUpdate();
                        ti.setInt(1, fresh);
                        ti.setString(2, "n" + fresh + "@example.com");
                        ti.setString(3, "n" + fresh);
                        ti.executeUpdate();
                        sd.setInt(1, fresh - 3);
                        sd.executeUpdate();
                        td.setInt(1, fresh - 3);
                        td.executeUpdate();
                    }
                    writes.incrementAndGet();
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "dual-writer");
        writer.start();
        VerifyReport report;
        try {
            report = Verifier.run(config, options(), VerifyProgress.NONE);
        } finally {
            running.set(false);
            writer.join();
        }

        assertThat(writes.get()).as("writes made during the run").isPositive();
        assertThat(report.equal()).as(report.toString()).isTrue();
        assertThat(report.tables().get(0).mismatchSample()).isEmpty();
    }

    private static List<Difference> fields(VerifyReport.Table table, String key) {
        return table.mismatchSample().stream().filter(m -> m.key().equals(key)).findFirst().orElseThrow().fields();
    }
}
