package dev.turnout.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.turnout.app.cli.TurnoutCommand;
import dev.turnout.capture.CaptureEngine;
import dev.turnout.capture.CaptureSettings;
import dev.turnout.core.TopicNames;
import dev.turnout.core.config.ConfigLoader;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TableId;
import dev.turnout.core.registry.embedded.EmbeddedSchemaRegistry;
import dev.turnout.testkit.LoopbackPorts;
import dev.turnout.testkit.Postgres;
import dev.turnout.testkit.SharedInfrastructure;
import dev.turnout.transform.CatalogReader;
import dev.turnout.transform.Mappings;
import dev.turnout.transform.TableMapping;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Issue #5's fault test, end to end: capture runs in this JVM while {@code turnout apply} (transform + applier) runs in
 * a child JVM that is killed with SIGKILL at random moments of a 100,000-change mixed load (inserts, updates, deletes,
 * primary-key changes; four writers; single- and multi-row transactions) and restarted each time. The target must end
 * equal, row for row and column for column, to the mapping applied to the final source table; then replaying the
 * apply topics from their beginning (the applier's stored offsets reset on purpose) must change nothing.
 */
class PipelineSurvivesSigkillTest {

    private static final TableId USERS = TableId.parse("public.users");
    private static final TableId ACCOUNTS = TableId.parse("public.accounts");
    private static final int WRITERS = 4;
    private static final int CHANGES_PER_WRITER = 25_000;
    private static final int INITIAL_ROWS = 2_000;
    private static final int KILLS = 5;
    private static final String PORT_VARIABLE = "TURNOUT_TEST_SERVICE_PORT";

    @TempDir
    Path dir;

    @Test
    void theTargetEqualsTheMappedSourceAfterSigkillsOfTransformAndApplierAndAReplayChangesNothing() throws Exception {
        String pipeline = "pipekill_" + ProcessHandle.current().pid();
        String sourceDb = pipeline + "_src";
        String targetDb = pipeline + "_tgt";
        Postgres pg = SharedInfrastructure.postgres();
        pg.createDatabase(sourceDb);
        pg.createDatabase(targetDb);
        sql(pg, sourceDb, "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, display_name text, "
            + "score integer NOT NULL)",
            "INSERT INTO users SELECT g, 'user' || g || '@example.com', CASE WHEN g % 3 = 0 THEN NULL ELSE 'User ' || g "
                + "END, 0 FROM generate_series(1, " + INITIAL_ROWS + ") g");

        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(
            EmbeddedSchemaRegistry.Settings.of(SharedInfrastructure.kafka().bootstrap()), new SimpleMeterRegistry())) {
            Path configFile = Files.writeString(dir.resolve("turnout.yaml"), """
                pipeline: %s
                kafka:
                  bootstrap: %s
                  properties:
                    # A killed member leaves the groups after the session timeout; the broker's minimum keeps it short.
                    session.timeout.ms: "6000"
                schemaRegistry:
                  url: %s
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
                    key: [id]
                    columns:
                      id: row.id
                      email: row.email
                      name: "!isBlank(row.display_name) ? row.display_name : part(row.email, '@', 0)"
                      score: row.score
                capture:
                  partitions: 3
                  heartbeat: 1s
                service:
                  bind: 127.0.0.1:${%s:-9464}
                """.formatted(pipeline, SharedInfrastructure.kafka().bootstrap(), registry.url(), pg.jdbcUrl(sourceDb),
                pg.jdbcUrl(targetDb), PORT_VARIABLE));
            LoadedConfig config = ConfigLoader.load(configFile);

            StringWriter schemaOut = new StringWriter();
            assertThat(TurnoutCommand.execute(new PrintWriter(schemaOut, true), new PrintWriter(schemaOut, true),
                "schema", "apply", "-c", configFile.toString(), "--execute")).as(schemaOut.toString()).isZero();

            try (CaptureEngine capture = CaptureEngine.start(CaptureSettings.from(config.config(), registry.url()),
                new SimpleMeterRegistry())) {
                assertThat(capture.awaitStreaming(Duration.ofMinutes(2))).as("capture streams").isTrue();
                Path home = Files.createDirectories(dir.resolve("home"));
                String group = "turnout-" + pipeline + "-apply";

                AtomicBoolean stop = new AtomicBoolean();
                CountDownLatch killed = new CountDownLatch(1);
                ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
                List<Future<Integer>> load = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    load.add(writers.submit(() -> writeLoad(pg, sourceDb, writer, stop, killed)));
                }
                Process child = null;
                try {
                    Random random = new Random();
                    int kills = 0;
                    while (kills < KILLS) {
                        child = startApply(configFile, home, kills);
                        // Kill points follow the applier's progress (offsets stored in the target), so each lands in
                        // the middle of applying, at a random distance from the restart.
                        long from = appliedOffsets(pg, targetDb, group);
                        long killAt = from + 500 + random.nextInt(4_000);
                        Process running = child;
                        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                            .until(() -> !running.isAlive() || appliedOffsets(pg, targetDb, group) >= killAt);
                        assertThat(child.isAlive()).as("turnout apply runs until it is killed").isTrue();
                        child.destroyForcibly();
                        assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
                        kills++;
                    }
                    killed.countDown();
                    child = startApply(configFile, home, kills);
                    int changes = 0;
                    for (Future<Integer> f : load) {
                        changes += f.get(5, TimeUnit.MINUTES);
                    }
                    assertThat(changes).isEqualTo(WRITERS * CHANGES_PER_WRITER);

                    TableMapping mapping = mapping(config, pg, sourceDb);
                    Map<Long, List<String>> expected = expectedRows(pg, sourceDb, mapping);
                    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
                        .until(() -> targetRows(pg, targetDb, mapping).equals(expected));
                    assertThat(targetRows(pg, targetDb, mapping)).as("target = mapping(source), row for row")
                        .isEqualTo(expected);
                    assertThat(child.isAlive()).isTrue();

                    // Re-deliver every apply record on purpose: stop the applier, move its stored offsets back to the
                    // start of the apply topic, and let it read everything again.
                    Map<Long, List<String>> before = targetRows(pg, targetDb, mapping, true);
                    long end = appliedOffsets(pg, targetDb, group);
                    child.destroy();
                    assertThat(child.waitFor(2, TimeUnit.MINUTES)).as("turnout apply stops on SIGTERM").isTrue();
                    sql(pg, targetDb, "UPDATE turnout_offsets SET next_offset = 0 WHERE group_id = '" + group + "'");
                    child = startApply(configFile, home, kills + 1);
                    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                        .until(() -> appliedOffsets(pg, targetDb, group) >= end);
                    assertThat(targetRows(pg, targetDb, mapping, true))
                        .as("the target after replaying the apply topic from its start, guard positions included")
                        .isEqualTo(before);
                    assertThat(child.isAlive()).isTrue();
                } finally {
                    stop.set(true);
                    killed.countDown();
                    writers.shutdownNow();
                    if (child != null) {
                        child.destroyForcibly();
                        child.waitFor(1, TimeUnit.MINUTES);
                    }
                }
            }
        }
    }

    /** {@code turnout apply -c FILE} in a child JVM, with its own service port and Kafka Streams state under home. */
    private static Process startApply(Path configFile, Path home, int generation) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m",
            "-Duser.home=" + home, "-cp", classpath, Main.class.getName(), "apply", "-c", configFile.toString());
        pb.environment().put(PORT_VARIABLE, Integer.toString(LoopbackPorts.freePort()));
        pb.redirectErrorStream(true);
        Process process = pb.start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread pump = new Thread(() -> reader.lines().forEach(l -> System.out.println("[apply " + generation + "] " + l)));
        pump.setDaemon(true);
        pump.start();
        return process;
    }

    /** Sum of the applier's stored next offsets: how far it has applied, in records. */
    private static long appliedOffsets(Postgres pg, String targetDb, String group) throws SQLException {
        try (Connection c = pg.connect(targetDb);
             PreparedStatement ps = c.prepareStatement(
                 "SELECT coalesce(sum(next_offset), 0) FROM turnout_offsets WHERE group_id = ?")) {
            ps.setString(1, group);
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static TableMapping mapping(LoadedConfig config, Postgres pg, String sourceDb) throws SQLException {
        try (Connection c = pg.connect(sourceDb)) {
            return Mappings.compile(config, new CatalogReader(c)).forSource(USERS).orElseThrow();
        }
    }

    /** The mapping applied to every source row, as Debezium delivers its values: target id → every target column. */
    private static Map<Long, List<String>> expectedRows(Postgres pg, String sourceDb, TableMapping mapping)
        throws SQLException {
        Map<Long, List<String>> rows = new HashMap<>();
        try (Connection c = pg.connect(sourceDb); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT id, email, display_name, score FROM users")) {
            while (r.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", r.getLong("id"));
                row.put("email", r.getString("email"));
                row.put("display_name", r.getString("display_name"));
                row.put("score", r.getInt("score"));
                Map<String, Object> target = mapping.apply(row).orElseThrow().values();
                rows.put(((Number) target.get("id")).longValue(), mapping.columns().stream()
                    .map(col -> String.valueOf(target.get(col.name()))).toList());
            }
        }
        return rows;
    }

    private static Map<Long, List<String>> targetRows(Postgres pg, String targetDb, TableMapping mapping)
        throws SQLException {
        return targetRows(pg, targetDb, mapping, false);
    }

    /** Every target row: id → its mapped columns (and the guard column's position, if asked), as text. */
    private static Map<Long, List<String>> targetRows(Postgres pg, String targetDb, TableMapping mapping,
                                                      boolean withGuard) throws SQLException {
        List<String> columns = new ArrayList<>(mapping.columns().stream().map(c -> c.name()).toList());
        if (withGuard) {
            columns.add("_turnout_lsn");
        }
        Map<Long, List<String>> rows = new HashMap<>();
        try (Connection c = pg.connect(targetDb); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT " + String.join(", ", columns) + " FROM " + ACCOUNTS)) {
            while (r.next()) {
                List<String> values = new ArrayList<>();
                for (String column : columns) {
                    values.add(String.valueOf(r.getObject(column)));
                }
                rows.put(r.getLong("id"), values);
            }
        }
        return rows;
    }

    /**
     * One writer's share of the load, on ids of its own (id mod {@link #WRITERS}), so writers never wait on each other's
     * locks: inserts, updates (some blanking the display name, which moves the mapped name to the email), deletes
     * and primary-key changes, half in single-statement transactions and half in transactions of 2 to 20 changes.
     * Paced, and holding its last tenth back until every kill is done, so that each kill lands during the load.
     */
    private static int writeLoad(Postgres pg, String sourceDb, int writer, AtomicBoolean stop, CountDownLatch killed)
        throws Exception {
        Random random = new Random(31L * writer + 7);
        List<Long> live = new ArrayList<>();
        for (long id = 1; id <= INITIAL_ROWS; id++) {
            if (id % WRITERS == writer) {
                live.add(id);
            }
        }
        long nextId = 1_000_000L + writer;
        int changes = 0;
        try (Connection c = pg.connect(sourceDb)) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO users VALUES (?, ?, ?, 0)");
                 PreparedStatement update = c.prepareStatement(
                     "UPDATE users SET score = score + 1, display_name = ? WHERE id = ?");
                 PreparedStatement delete = c.prepareStatement("DELETE FROM users WHERE id = ?");
                 PreparedStatement rekey = c.prepareStatement("UPDATE users SET id = ? WHERE id = ?")) {
                while (changes < CHANGES_PER_WRITER && !stop.get()) {
                    if (changes >= CHANGES_PER_WRITER * 9 / 10) {
                        killed.await();
                    }
                    int size = random.nextBoolean() ? 1 : 2 + random.nextInt(19);
                    for (int i = 0; i < size && changes < CHANGES_PER_WRITER; i++, changes++) {
                        int dice = random.nextInt(100);
                        if (dice < 20 || live.size() < 50) {
                            long id = nextId;
                            nextId += WRITERS;
                            insert.setLong(1, id);
                            insert.setString(2, "w" + writer + "-" + id + "@example.com");
                            insert.setString(3, random.nextInt(3) == 0 ? null : "Writer " + writer + " " + id);
                            insert.executeUpdate();
                            live.add(id);
                        } else if (dice < 70) {
                            int dn = random.nextInt(4);
                            update.setString(1, dn == 0 ? null : dn == 1 ? "" : "Name " + random.nextInt(1_000));
                            update.setLong(2, live.get(random.nextInt(live.size())));
                            update.executeUpdate();
                        } else if (dice < 85) {
                            delete.setLong(1, live.remove(random.nextInt(live.size())));
                            delete.executeUpdate();
                        } else {
                            int at = random.nextInt(live.size());
                            long id = nextId;
                            nextId += WRITERS;
                            rekey.setLong(1, id);
                            rekey.setLong(2, live.get(at));
                            rekey.executeUpdate();
                            live.set(at, id);
                        }
                    }
                    c.commit();
                    // Pacing the load, not synchronising with it.
                    Thread.sleep(8);
                }
            }
        }
        return changes;
    }

    private static void sql(Postgres pg, String database, String... statements) throws SQLException {
        try (Connection c = pg.connect(database); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }
}
