package dev.turnout.transform.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.turnout.core.TopicNames;
import dev.turnout.core.config.ConfigLoader;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TableId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Exactly-once across a crash: the transform runs in a child process under a live load and is killed with SIGKILL in
 * the middle of the stream; a new instance with the same state directory takes over. A read_committed reader of the
 * apply topic must then find every CDC record transformed exactly once (no change lost, none doubled: the design allows
 * no duplicates of a (key, position) at all), and the target-key store, restored from its changelog, must still know
 * which target key each row had, so the latest record of every target key matches the source table.
 */
class TransformSurvivesSigkillTest {

    private static final TableId ACCOUNTS = TableId.parse("public.accounts");
    private static final TableId BY_HANDLE = TableId.parse("public.accounts_by_handle");
    private static final String MAPPING = """
          - from: public.accounts
            to: public.accounts_by_handle
            key: [handle]
            columns:
              handle: concat(row.region, '-', row.id)
              id: row.id
              balance: row.balance
        """;

    @Test
    void aTransformKilledMidStreamAndReplacedLosesNoChangeAndDoublesNone() throws Exception {
        try (TopologyFixture f = new TopologyFixture("crash")) {
            f.sql("CREATE TABLE accounts (id int PRIMARY KEY, region text NOT NULL, balance bigint NOT NULL)",
                "INSERT INTO accounts SELECT g, 'eu', 0 FROM generate_series(1, 100) g");
            // A dead member leaves the group after the session timeout; the broker's minimum keeps the test short.
            String configText = f.configText(List.of(ACCOUNTS), MAPPING, Map.of("session.timeout.ms", "6000"));
            Path configFile = Files.writeString(f.stateDir.resolveSibling(f.pipeline + ".yaml"), configText);
            LoadedConfig config = ConfigLoader.load(configFile);
            f.startCapture(config);
            String applyTopic = TopicNames.apply(f.pipeline, BY_HANDLE);

            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            Future<Integer> load = pool.submit(() -> writeLoad(f, stop));
            try {
                Process child = startChild(configFile, f.stateDir);
                int beforeKill;
                try {
                    beforeKill = f.readApply(applyTopic, records -> records.size() >= 300 || !child.isAlive()).size();
                    assertThat(child.isAlive()).as("the transform child runs until it is killed").isTrue();
                    assertThat(load.isDone()).as("the load is still running at the kill").isFalse();
                } finally {
                    child.destroyForcibly();
                    child.waitFor();
                    // The kill landed mid-load; what was written until now is the backlog the replacement must take
                    // over. Stopping here lets the readers below see a topic that stops growing.
                    stop.set(true);
                }
                assertThat(beforeKill).isGreaterThanOrEqualTo(300);

                // The replacement takes over the backlog; the reads below wait until it has passed the end marker.
                f.startTransform(config, new SimpleMeterRegistry());
            } finally {
                stop.set(true);
                pool.shutdown();
            }
            assertThat(load.get()).isPositive();
            f.sql("INSERT INTO accounts VALUES (1000000, 'end', 0)");
            f.readApply(applyTopic, records -> records.stream().anyMatch(r -> r.keyText().equals("handle=end-1000000")));

            // Every change capture committed, as CDC partition and offset; tombstones carry no change.
            Set<String> changes = f.readRaw(TopicNames.cdc(f.pipeline, ACCOUNTS), records -> true).stream()
                .filter(r -> r.value() != null).map(r -> r.partition() + "@" + r.offset()).collect(Collectors.toSet());
            List<TopologyFixture.Applied> applied = f.readApply(applyTopic,
                records -> records.stream().map(TransformSurvivesSigkillTest::origin).collect(Collectors.toSet())
                    .containsAll(changes));

            assertThat(applied.stream().map(TransformSurvivesSigkillTest::origin).collect(Collectors.toSet()))
                .as("the CDC records the apply records come from").isEqualTo(changes);
            Map<String, Long> perKeyAndPosition = applied.stream().collect(Collectors.groupingBy(
                a -> a.keyText() + " " + a.op() + " " + a.value().getPosition(), Collectors.counting()));
            assertThat(perKeyAndPosition.values()).as("apply records per (key, op, position)").containsOnly(1L);

            Map<String, TopologyFixture.Applied> latest = new LinkedHashMap<>();
            applied.forEach(a -> latest.put(a.keyText(), a));
            Map<String, Long> inTarget = new HashMap<>();
            latest.forEach((key, a) -> {
                if (a.op().equals("UPSERT")) {
                    inTarget.put(key, (Long) a.columns().get("balance"));
                }
            });
            assertThat(inTarget).as("target rows (handle → balance) after the apply topic").isEqualTo(sourceRows(f));
        }
    }

    private static String origin(TopologyFixture.Applied a) {
        return a.value().getOrigin().getPartition() + "@" + a.value().getOrigin().getOffset();
    }

    /** handle → balance of every source row, as the mapping keys them. */
    private static Map<String, Long> sourceRows(TopologyFixture f) throws Exception {
        Map<String, Long> rows = new HashMap<>();
        try (Connection c = f.pg.connect(f.database); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT region, id, balance FROM accounts")) {
            while (r.next()) {
                rows.put("handle=" + r.getString(1) + "-" + r.getInt(2), r.getLong(3));
            }
        }
        return rows;
    }

    /**
     * Balance updates, region changes (which move a row to another target key), deletes and re-inserts, one per
     * transaction, paced to about 250 a second so the stream is still flowing when the transform is killed.
     */
    private static int writeLoad(TopologyFixture f, AtomicBoolean stop) throws Exception {
        Random random = new Random(7);
        Set<Integer> deleted = new HashSet<>();
        String[] regions = {"eu", "us", "ap"};
        int transactions = 0;
        try (Connection c = f.pg.connect(f.database); Statement st = c.createStatement()) {
            // Runs until the test has killed the transform: a kill must always land mid-load.
            while (!stop.get()) {
                int id = 1 + random.nextInt(100);
                int dice = random.nextInt(100);
                if (deleted.remove(id)) {
                    st.execute("INSERT INTO accounts VALUES (" + id + ", 'eu', 0)");
                } else if (dice < 5) {
                    st.execute("DELETE FROM accounts WHERE id = " + id);
                    deleted.add(id);
                } else if (dice < 25) {
                    st.execute("UPDATE accounts SET region = '" + regions[random.nextInt(3)] + "' WHERE id = " + id);
                } else {
                    st.execute("UPDATE accounts SET balance = balance + 1 WHERE id = " + id);
                }
                transactions++;
                // Pacing the load, not synchronising with it.
                Thread.sleep(4);
            }
        }
        return transactions;
    }

    private static Process startChild(Path configFile, Path stateDir) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
            "-Xmx512m", "-cp", classpath,
            "-Dlog4j2.configurationFile=" + System.getProperty("log4j2.configurationFile", ""),
            TransformChild.class.getName(), configFile.toString(), stateDir.toString());
        pb.redirectErrorStream(true);
        Process process = pb.start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread pump = new Thread(() -> reader.lines().forEach(line -> System.out.println("[transform child] " + line)));
        pump.setDaemon(true);
        pump.start();
        return process;
    }
}
