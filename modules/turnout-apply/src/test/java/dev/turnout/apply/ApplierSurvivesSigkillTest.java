package dev.turnout.apply;

import static dev.turnout.apply.ApplyFixture.col;
import static dev.turnout.apply.ApplyFixture.delete;
import static dev.turnout.apply.ApplyFixture.key;
import static dev.turnout.apply.ApplyFixture.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import dev.turnout.core.config.TableId;

/**
 * The applier runs as a child process under a load of transactional producers' apply records (some transactions
 * aborted) and is killed with SIGKILL at random moments, then restarted. Afterwards the target must hold exactly the
 * state the committed changes lead to, {@code turnout_offsets} must stand at the end of what was consumed, no change may
 * have been written twice, and no aborted change at all.
 */
class ApplierSurvivesSigkillTest {

    private static final TableId ACCOUNTS = TableId.parse("public.accounts");
    private static final int PARTITIONS = 3;
    private static final int CHANGES = 30_000;
    private static final int KEYS = 400;
    private static final int KILLS = 4;

    /** What the committed changes leave per key: version and balance, or nothing for a deleted key. */
    private final Map<Long, List<String>> expected = new TreeMap<>();
    /** The last offset of a committed record per partition. */
    private final Map<Integer, Long> lastCommitted = new HashMap<>();
    /** (id, version) of upserts in aborted transactions. */
    private final Set<String> aborted = new HashSet<>();

    @Test
    void theTargetEqualsTheCommittedChangesAfterSigkills() throws Exception {
        try (ApplyFixture f = new ApplyFixture("sigkill")) {
            f.sql("CREATE TABLE accounts (id bigint PRIMARY KEY, version bigint NOT NULL, balance bigint NOT NULL, "
                    + "_turnout_lsn bigint)",
                // Every row write, to see that none is written twice.
                "CREATE TABLE writes (id bigint, version bigint)",
                "CREATE FUNCTION log_write() RETURNS trigger AS $$ BEGIN INSERT INTO writes VALUES (NEW.id, NEW.version); "
                    + "RETURN NULL; END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER accounts_writes AFTER INSERT OR UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION log_write()");
            f.createTopic(ACCOUNTS, PARTITIONS);

            Process child = startChild(f);
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> produce(f));
            Random random = new Random();
            try {
                for (int kill = 0; kill < KILLS; kill++) {
                    // Kill points follow the applier's progress (offsets stored in the target), so each lands mid-load.
                    long target = (long) CHANGES * (kill + 1) / (KILLS + 2) + random.nextInt(2_000);
                    await().atMost(Duration.ofMinutes(3)).ignoreExceptions()
                        .until(() -> stored(f) >= target || load.isCompletedExceptionally());
                    child.destroyForcibly();
                    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    child = startChild(f);
                }
                load.get(3, TimeUnit.MINUTES);

                Map<Integer, Long> consumedEnd = new TreeMap<>();
                lastCommitted.forEach((p, o) -> consumedEnd.put(p, o + 1));
                await().atMost(Duration.ofMinutes(3)).ignoreExceptions()
                    .until(() -> f.storedOffsets(ACCOUNTS).equals(consumedEnd));
            } finally {
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            }

            List<List<String>> rows = f.rows("SELECT id, version, balance FROM accounts ORDER BY id");
            List<List<String>> want = new ArrayList<>();
            expected.forEach((id, row) -> want.add(List.of(Long.toString(id), row.get(0), row.get(1))));
            assertThat(rows).as("target rows").isEqualTo(want);
            assertThat(f.rows("SELECT id, version, count(*) FROM writes GROUP BY id, version HAVING count(*) > 1"))
                .as("changes written twice").isEmpty();
            List<String> written = f.rows("SELECT id || ':' || version FROM writes").stream().map(r -> r.get(0)).toList();
            assertThat(written).as("aborted changes written").doesNotContainAnyElementsOf(aborted);
        }
    }

    /** Transactions of 1 to 40 changes over {@code KEYS} keys; one in ten is aborted. */
    private void produce(ApplyFixture f) {
        Random random = new Random(42);
        Map<Long, Long> versions = new HashMap<>();
        Map<Long, List<String>> state = new HashMap<>();
        long lsn = 1_000;
        int sent = 0;
        try (KafkaProducer<Object, Object> producer = f.producer("turnout-test-" + f.pipeline)) {
            producer.initTransactions();
            while (sent < CHANGES) {
                boolean abort = random.nextInt(10) == 0;
                Map<Long, Long> txVersions = new HashMap<>(versions);
                Map<Long, List<String>> txState = new HashMap<>(state);
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                List<String> txUpserts = new ArrayList<>();
                producer.beginTransaction();
                int size = 1 + random.nextInt(40);
                for (int i = 0; i < size; i++, sent++) {
                    long id = random.nextInt(KEYS);
                    lsn += 1 + random.nextInt(5);
                    if (txState.containsKey(id) && random.nextInt(5) == 0) {
                        txState.remove(id);
                        sends.add(producer.send(new ProducerRecord<>(f.topic(ACCOUNTS), key(col("id", id)),
                            delete(lsn))));
                    } else {
                        long version = txVersions.merge(id, 1L, Long::sum);
                        long balance = random.nextInt(1_000_000);
                        txState.put(id, List.of(Long.toString(version), Long.toString(balance)));
                        txUpserts.add(id + ":" + version);
                        sends.add(producer.send(new ProducerRecord<>(f.topic(ACCOUNTS), key(col("id", id)),
                            upsert(lsn, col("id", id), col("version", version), col("balance", balance)))));
                    }
                }
                if (abort) {
                    producer.flush();
                    producer.abortTransaction();
                    aborted.addAll(txUpserts);
                    // The aborted versions stay used, so every version of a key names one change.
                    versions.putAll(txVersions);
                    continue;
                }
                producer.commitTransaction();
                versions.putAll(txVersions);
                state.clear();
                state.putAll(txState);
                for (Future<RecordMetadata> s : sends) {
                    RecordMetadata m = s.get();
                    lastCommitted.merge(m.partition(), m.offset(), Math::max);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("the load failed", e);
        }
        synchronized (expected) {
            expected.putAll(state);
        }
    }

    private static long stored(ApplyFixture f) {
        return f.storedOffsets(ACCOUNTS).values().stream().mapToLong(Long::longValue).sum();
    }

    private static Process startChild(ApplyFixture f) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
            "-Xmx256m", "-cp", classpath,
            "-Dlog4j2.configurationFile=" + System.getProperty("log4j2.configurationFile", ""),
            ApplierChild.class.getName(), f.pipeline, f.pg.jdbcUrl(f.database), f.kafka.bootstrap(),
            ApplyFixture.registryUrl(), ACCOUNTS.toString(), "200");
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
        Process process = pb.start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread pump = new Thread(() -> reader.lines().forEach(line -> System.out.println("[applier child] " + line)));
        pump.setDaemon(true);
        pump.start();
        return process;
    }
}
