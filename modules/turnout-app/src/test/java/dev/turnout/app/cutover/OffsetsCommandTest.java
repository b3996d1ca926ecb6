package dev.turnout.app.cutover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetsCommandTest {

    static final String TOPIC = "cli-offsets";
    static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    @TempDir
    Path dir;

    @BeforeAll
    static void records() throws Exception {
        Cli.dualPublished(TOPIC, 2, 150);
    }

    String a() {
        return Cli.a().bootstrap();
    }

    String b() {
        return Cli.b().bootstrap();
    }

    @Test
    void snapshotTranslateApplyVerifyAndExportByCommandLine() throws Exception {
        String group = "cli-offsets-flow";
        Cli.commit(Cli.a(), group, Map.of(P0, 40L, P1, 150L));
        Path snapshotFile = dir.resolve("snapshot.json");
        Cli.Result snapshot = Cli.run("offsets", "snapshot", "--cluster", a(), "--group", group, "--out", snapshotFile.toString());
        assertThat(snapshot.code()).as(snapshot.err()).isZero();
        assertThat(snapshot.out()).contains("COMMITTED", "LOG START", "LAST CONSUMED", "Snapshot " + group + "@",
            "stored in turnout.offsets.snapshots");
        assertThat(snapshotFile).exists();
        Matcher id = Pattern.compile("Snapshot (\\S+) stored").matcher(snapshot.out());
        assertThat(id.find()).isTrue();

        Path plan = dir.resolve("plan.json");
        Cli.Result translate = Cli.run("offsets", "translate", "--from", a(), "--to", b(), "--group", group,
            "--snapshot", id.group(1), "--out", plan.toString());
        assertThat(translate.code()).as(translate.out() + translate.err()).isZero();
        assertThat(translate.out()).contains("EXACT", "AT_END", "2 partition(s): 1 exact, 0 at start, 1 at end, 0 unresolved");
        assertThat(Files.readString(plan)).contains("\"evidence\"", "\"lastConsumed\"", "\"fingerprint\"");

        Cli.Result dry = Cli.run("offsets", "apply", "--plan", plan.toString());
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("TOPIC", "PARTITION", "CURRENT", "NEW", "LAG AFTER", "Dry run");
        assertThat(dry.out().lines().filter(l -> l.startsWith(TOPIC + "  0"))).singleElement().asString()
            .matches(TOPIC + "\\s+0\\s+-\\s+40\\s+110\\s+COMMIT.*");
        assertThat(Cli.committed(Cli.b(), group)).isEmpty();

        Cli.Result applied = Cli.run("offsets", "apply", "--plan", plan.toString(), "--execute");
        assertThat(applied.code()).as(applied.err()).isZero();
        assertThat(Cli.committed(Cli.b(), group)).containsEntry(P0, 40L).containsEntry(P1, 150L);

        Cli.Result verify = Cli.run("offsets", "verify", "--plan", plan.toString(), "--full");
        assertThat(verify.code()).as(verify.out()).isZero();
        assertThat(verify.out()).contains(TOPIC + "-0: lost=0 redelivered=0", TOPIC + "-1: lost=0 redelivered=0",
            "Verified");

        Cli.Result export = Cli.run("offsets", "export", "--cluster", b(), "--group", group);
        assertThat(export.code()).isZero();
        assertThat(export.out()).isEqualTo(TOPIC + ",0,40\n" + TOPIC + ",1,150\n");

        Cli.Result fromFile = Cli.run("offsets", "translate", "--from", a(), "--to", b(), "--group", group,
            "--file", snapshotFile.toString(), "--out", dir.resolve("plan2.json").toString());
        assertThat(fromFile.code()).isZero();
    }

    @Test
    void aGroupWithoutCommitsIsRecordedAsSuch() throws Exception {
        Path file = dir.resolve("never.json");
        Cli.Result r = Cli.run("offsets", "snapshot", "--cluster", a(), "--group", "cli-never-committed", "--out",
            file.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Group cli-never-committed has no committed offsets", "recorded as such");
        assertThat(Files.readString(file)).contains("\"hasCommits\" : false");
    }

    @Test
    void verifyFailsWithExitOneWhenTheTargetLacksRecords() throws Exception {
        String topic = "cli-offsets-lossy";
        Cli.dualPublished(topic, 1, 20);
        try (var p = Cli.producer(Cli.a())) {
            p.send(Cli.record(topic, 0, System.currentTimeMillis(), "only-on-a"));
        }
        String group = "cli-offsets-lossy";
        Cli.commit(Cli.a(), group, Map.of(new TopicPartition(topic, 0), 10L));
        Path plan = dir.resolve("lossy.json");
        Cli.Result translate = Cli.run("offsets", "translate", "--from", a(), "--to", b(), "--group", group, "--out",
            plan.toString());
        assertThat(translate.code()).as("records missing on the target are differences").isEqualTo(1);
        assertThat(translate.out()).contains("1 unconsumed, which the target would not deliver");
        Cli.Result verify = Cli.run("offsets", "verify", "--plan", plan.toString(), "--full");
        assertThat(verify.code()).isEqualTo(1);
        assertThat(verify.out()).contains(topic + "-0: lost=1 redelivered=0", "lost offset 20 turnout.id only-on-a",
            "Verification FAILED");
    }

    @Test
    void applyRefusesWhileTheGroupIsActiveOnTheTarget() throws Exception {
        String group = "cli-offsets-active";
        Cli.commit(Cli.a(), group, Map.of(P0, 10L));
        Path plan = dir.resolve("active.json");
        assertThat(Cli.run("offsets", "translate", "--from", a(), "--to", b(), "--group", group, "--out",
            plan.toString()).code()).isZero();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean joined = new AtomicBoolean();
        CompletableFuture<Void> member = CompletableFuture.runAsync(() -> {
            Map<String, Object> props = new java.util.HashMap<>(Cli.b().clientProperties());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                c.subscribe(List.of(TOPIC));
                while (!stop.get()) {
                    c.poll(Duration.ofMillis(100));
                    joined.set(!c.assignment().isEmpty());
                }
            }
        });
        try {
            await().atMost(Duration.ofSeconds(30)).untilTrue(joined);
            Cli.Result r = Cli.run("offsets", "apply", "--plan", plan.toString(), "--execute");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("refusing: group cli-offsets-active has 1 active member(s) on cluster at " + b()
                + " (state Stable): stop its consumers there first");
        } finally {
            stop.set(true);
            member.get(30, TimeUnit.SECONDS);
        }
        assertThat(Cli.committed(Cli.b(), group)).doesNotContainEntry(P0, 10L);
    }

    @Test
    void replayByShiftTimeAndFileIsADryRunUntilExecute() throws Exception {
        String group = "cli-offsets-replay";
        Cli.commit(Cli.a(), group, Map.of(P0, 100L));
        Cli.Result dry = Cli.run("offsets", "replay", "--cluster", a(), "--group", group, "--shift-by", "-30");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("shift by -30", "100", "70", "Dry run");
        assertThat(Cli.committed(Cli.a(), group)).containsEntry(P0, 100L);
        assertThat(Cli.run("offsets", "replay", "--cluster", a(), "--group", group, "--shift-by", "-30", "--execute").code())
            .isZero();
        assertThat(Cli.committed(Cli.a(), group)).containsEntry(P0, 70L);

        Path csv = dir.resolve("offsets.csv");
        Files.writeString(csv, TOPIC + ",0,5\n");
        assertThat(Cli.run("offsets", "replay", "--cluster", a(), "--group", group, "--file", csv.toString(), "--execute")
            .code()).isZero();
        assertThat(Cli.committed(Cli.a(), group)).containsEntry(P0, 5L);

        Cli.Result future = Cli.run("offsets", "replay", "--cluster", a(), "--group", group, "--to-datetime",
            "2999-01-01T00:00:00Z", "--execute");
        assertThat(future.code()).isZero();
        assertThat(Cli.committed(Cli.a(), group)).containsEntry(P0, 150L);

        Cli.Result both = Cli.run("offsets", "replay", "--cluster", a(), "--group", group, "--shift-by", "1",
            "--to-datetime", "2999-01-01T00:00:00Z");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
    }
}
