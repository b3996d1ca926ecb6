package dev.turnout.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

import dev.turnout.core.TopicNames;
import dev.turnout.core.config.TableId;

/**
 * Capture runs as a child process under a 100k-change mixed load and is killed with SIGKILL at random moments, then
 * restarted. Afterwards a read_committed reader must find every change the source made exactly once, in order per key,
 * checked against the source's own record of what it did: an audit table filled by a trigger in the same transactions.
 *
 * <p>The child confirms its position to the slot only every few seconds (production confirms after every batch), so
 * every kill lands between Kafka commits and the slot's confirmation of them: the slot re-sends transactions Kafka
 * already holds, and the test checks that capture recognised them (its log says how many it skipped) and wrote none
 * twice.
 */
class CaptureSurvivesSigkillTest {

    static final int WRITERS = 4;
    static final int CHANGES_PER_WRITER = 25_000;
    static final int KILLS = 5;
    static final long MARKER = -1;
    static final String SLOT_CONFIRM_INTERVAL_MS = "3000";
    static final Pattern SKIPPED = Pattern.compile("Capture skipped (\\d+) change records the slot re-sent");

    private final AtomicLong skippedRedeliveries = new AtomicLong();

    @Test
    void everyChangeReachesKafkaExactlyOnceAcrossSigkills() throws Exception {
        CaptureFixture f = new CaptureFixture("sigkill");
        f.sql("CREATE TABLE accounts (id bigint PRIMARY KEY, version bigint NOT NULL, balance bigint NOT NULL)",
            "ALTER TABLE accounts REPLICA IDENTITY FULL",
            "CREATE TABLE audit (seq bigserial PRIMARY KEY, op char(1) NOT NULL, id bigint NOT NULL, version bigint NOT NULL)",
            """
            CREATE FUNCTION audit_change() RETURNS trigger AS $$
            BEGIN
              IF TG_OP = 'DELETE' THEN
                INSERT INTO audit (op, id, version) VALUES ('d', OLD.id, OLD.version);
              ELSIF TG_OP = 'UPDATE' THEN
                INSERT INTO audit (op, id, version) VALUES ('u', NEW.id, NEW.version);
              ELSE
                INSERT INTO audit (op, id, version) VALUES ('c', NEW.id, NEW.version);
              END IF;
              RETURN NULL;
            END $$ LANGUAGE plpgsql""",
            "CREATE TRIGGER accounts_audit AFTER INSERT OR UPDATE OR DELETE ON accounts FOR EACH ROW EXECUTE FUNCTION audit_change()");
        TableId accounts = TableId.parse("public.accounts");
        String topic = TopicNames.cdc(f.pipeline, accounts);

        Process child = startChild(f, accounts);
        // The load starts once capture streams: a crash during the initial snapshot re-reads the snapshot (Debezium's
        // snapshot is not resumable), and snapshot reads are not changes this test counts.
        // The marker row (id -1) shows capture got past its one-row snapshot, as a read or a change; it is not compared.
        f.sql("INSERT INTO accounts VALUES (-1, 1, 0)");
        await().atMost(Duration.ofMinutes(2)).ignoreExceptions()
            .until(() -> !f.readChanges(topic, 1, Duration.ofSeconds(2)).isEmpty());
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        AtomicLong written = new AtomicLong();
        List<Future<?>> load = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            load.add(writers.submit(() -> {
                write(f, writer, written);
                return null;
            }));
        }
        Random random = new Random();
        long planned = (long) WRITERS * CHANGES_PER_WRITER;
        for (int kill = 0; kill < KILLS; kill++) {
            // Kill points follow capture's progress (records on the topic), so every kill lands mid-stream.
            long target = planned * (kill + 1) / (KILLS + 2) + random.nextInt(3_000);
            await().atMost(Duration.ofMinutes(3)).ignoreExceptions()
                .until(() -> recordsOn(f, topic) >= target || failed(load));
            rethrowFailure(load);
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            child = startChild(f, accounts);
        }
        for (Future<?> done : load) {
            done.get(5, TimeUnit.MINUTES);
        }
        writers.shutdown();

        Map<String, Long> expected = auditCounts(f);
        long total = expected.values().stream().mapToLong(Long::longValue).sum();
        assertThat(total).isGreaterThanOrEqualTo((long) WRITERS * CHANGES_PER_WRITER);
        try {
            // Deletes are followed by tombstones, which the audit does not count.
            long deletes = expected.keySet().stream().filter(k -> k.startsWith("d:")).count();
            List<CaptureFixture.Change> changes = f.readChanges(topic, (int) (total + deletes), Duration.ofMinutes(4),
                Duration.ofSeconds(10)).stream().filter(c -> !c.tombstone()).toList();
            Map<String, Long> seen = new HashMap<>();
            Map<Long, Long> lastVersionPerKey = new HashMap<>();
            for (CaptureFixture.Change c : changes) {
                Struct value = c.valueStruct();
                String op = value.getString("op");
                Struct row = "d".equals(op) ? value.getStruct("before") : value.getStruct("after");
                long id = row.getInt64("id");
                if (id == MARKER) {
                    continue;
                }
                long version = row.getInt64("version");
                seen.merge(op + ":" + id + ":" + version, 1L, Long::sum);
                Long previous = lastVersionPerKey.put(id, version);
                if (previous != null && !"c".equals(op)) {
                    assertThat(version).as("order of key %d", id).isGreaterThanOrEqualTo(previous);
                }
            }
            List<String> missing = expected.keySet().stream().filter(k -> !seen.containsKey(k)).sorted().toList();
            List<String> duplicated = seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .sorted().toList();
            List<String> unexpected = seen.keySet().stream().filter(k -> !expected.containsKey(k)).sorted().toList();
            assertThat(missing).as("audited changes missing from Kafka (%d)", missing.size()).isEmpty();
            assertThat(duplicated).as("changes delivered more than once (%d)", duplicated.size()).isEmpty();
            assertThat(unexpected).as("changes in Kafka the source never made (%d)", unexpected.size()).isEmpty();
            assertThat(seen).hasSize(expected.size());
            // Without re-sent changes the test would not have exercised the window it exists for.
            assertThat(skippedRedeliveries.get()).as("changes re-sent by the slot and recognised after restarts")
                .isPositive();
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Records on the topic, committed or not: a progress hint only. */
    private static long recordsOn(CaptureFixture f, String topic) throws Exception {
        try (Admin admin = f.kafka.admin()) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get().values().stream()
                .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        }
    }

    private static boolean failed(List<Future<?>> load) {
        return load.stream().anyMatch(f -> f.isDone() && !succeeded(f));
    }

    private static boolean succeeded(Future<?> f) {
        try {
            f.get();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static void rethrowFailure(List<Future<?>> load) throws Exception {
        for (Future<?> f : load) {
            if (f.isDone() && !succeeded(f)) {
                f.get();
            }
        }
    }

    /** Each writer owns ids writer, writer+WRITERS, ...; it inserts, updates (version+1) and deletes them. */
    private static void write(CaptureFixture f, int writer, AtomicLong written) throws Exception {
        Random random = new Random(writer);
        Map<Long, Long> versions = new HashMap<>();
        long nextId = writer;
        int changes = 0;
        try (Connection c = f.pg.connect(f.database)) {
            c.setAutoCommit(false);
            while (changes < CHANGES_PER_WRITER) {
                int batch = random.nextInt(4) == 0 ? 1 + random.nextInt(50) : 1;
                for (int i = 0; i < batch && changes < CHANGES_PER_WRITER; i++, changes++) {
                    int dice = random.nextInt(10);
                    if (versions.isEmpty() || dice < 4) {
                        try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts VALUES (?, 1, ?)")) {
                            ps.setLong(1, nextId);
                            ps.setLong(2, random.nextInt(1000));
                            ps.executeUpdate();
                        }
                        versions.put(nextId, 1L);
                        nextId += WRITERS;
                    } else {
                        long id = versions.keySet().stream().skip(random.nextInt(versions.size())).findFirst().orElseThrow();
                        if (dice < 8) {
                            try (PreparedStatement ps = c.prepareStatement(
                                "UPDATE accounts SET version = version + 1, balance = ? WHERE id = ?")) {
                                ps.setLong(1, random.nextInt(1000));
                                ps.setLong(2, id);
                                ps.executeUpdate();
                            }
                            versions.merge(id, 1L, Long::sum);
                        } else {
                            try (PreparedStatement ps = c.prepareStatement("DELETE FROM accounts WHERE id = ?")) {
                                ps.setLong(1, id);
                                ps.executeUpdate();
                            }
                            versions.remove(id);
                        }
                    }
                }
                c.commit();
                written.addAndGet(batch);
            }
        }
    }

    private static Map<String, Long> auditCounts(CaptureFixture f) throws Exception {
        Map<String, Long> counts = new HashMap<>();
        try (Connection c = f.pg.connect(f.database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT op, id, version FROM audit")) {
            while (rs.next()) {
                if (rs.getLong(2) == MARKER) {
                    continue;
                }
                counts.merge(rs.getString(1) + ":" + rs.getLong(2) + ":" + rs.getLong(3), 1L, Long::sum);
            }
        }
        return counts;
    }

    private Process startChild(CaptureFixture f, TableId table) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
            "-Xmx512m", "-cp", classpath,
            "-Dlog4j2.configurationFile=" + System.getProperty("log4j2.configurationFile", ""),
            CaptureChild.class.getName(), f.pipeline, f.pg.jdbcUrl(f.database), f.kafka.bootstrap(),
            CaptureFixture.registryUrl(), table.toString(), SLOT_CONFIRM_INTERVAL_MS);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
        Process process = pb.start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread pump = new Thread(() -> reader.lines().forEach(line -> {
            Matcher skipped = SKIPPED.matcher(line);
            if (skipped.find()) {
                skippedRedeliveries.addAndGet(Long.parseLong(skipped.group(1)));
            }
            System.out.println("[capture child] " + line);
        }));
        pump.setDaemon(true);
        pump.start();
        return process;
    }
}
