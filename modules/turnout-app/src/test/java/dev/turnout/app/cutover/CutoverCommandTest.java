package dev.turnout.app.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CutoverCommandTest {

    @TempDir
    Path dir;

    @Test
    void cutoverIsADryRunUntilExecuteThenRollbackIsTheSameCommandReversed() throws Exception {
        String topic = "cli-cutover";
        TopicPartition tp = new TopicPartition(topic, 0);
        Cli.dualPublished(topic, 1, 120);
        String group = "cli-cutover-group";
        Cli.commit(Cli.a(), group, Map.of(tp, 70L));
        List<String> unconsumed = Cli.unconsumed(Cli.a(), group, tp);
        Path config = Cli.config(dir);

        Cli.Result dry = Cli.run("cutover", "-c", config.toString(), "--from", "redpanda", "--to", "kafka", "--group", group);
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("EXACT", "COMMIT", "Dry run: nothing was written");
        assertThat(Cli.committed(Cli.b(), group)).isEmpty();

        Path certificate = dir.resolve("certificate.json");
        Cli.Result forward = Cli.run("cutover", "-c", config.toString(), "--from", "redpanda", "--to", "kafka", "--group",
            group, "--wait-empty", "10s", "--certificate", certificate.toString(), "--execute");
        assertThat(forward.code()).as(forward.out() + forward.err()).isZero();
        assertThat(forward.out()).containsPattern("Consumers had to stay stopped for \\d+\\.\\d s")
            .contains("Certificate: " + certificate);
        assertThat(Files.readString(certificate)).contains("\"verification\"", "\"consumersStoppedMillis\"");
        assertThat(Cli.unconsumed(Cli.b(), group, tp)).isEqualTo(unconsumed);

        Cli.commit(Cli.b(), group, Map.of(tp, Cli.committed(Cli.b(), group).get(tp) + 20));
        List<String> left = Cli.unconsumed(Cli.b(), group, tp);
        Cli.Result back = Cli.run("cutover", "-c", config.toString(), "--from", "kafka", "--to", "redpanda", "--group",
            group, "--certificate", dir.resolve("rollback.json").toString(), "--execute");
        assertThat(back.code()).as(back.out() + back.err()).isZero();
        assertThat(Cli.unconsumed(Cli.a(), group, tp)).isEqualTo(left).hasSize(30);
    }

    /** A consumer of {@code group} on {@code cluster}, polling on its own thread until {@link #close()}. */
    static final class RunningConsumer implements AutoCloseable {
        final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.atomic.AtomicBoolean joined = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.CompletableFuture<Void> loop;

        RunningConsumer(dev.turnout.testkit.KafkaCluster cluster, String group, String topic) {
            loop = java.util.concurrent.CompletableFuture.runAsync(() -> {
                Map<String, Object> props = new java.util.HashMap<>(cluster.clientProperties());
                props.put(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG, group);
                props.put(org.apache.kafka.clients.consumer.ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
                try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<>(props,
                        new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                    c.subscribe(List.of(topic));
                    while (!stop.get()) {
                        c.poll(java.time.Duration.ofMillis(100));
                        joined.set(!c.assignment().isEmpty());
                    }
                }
            });
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilTrue(joined);
        }

        @Override
        public void close() throws Exception {
            stop.set(true);
            loop.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void cutoverWaitsForTheGroupToEmptyOnTheSourceAndRefusesWhenItDoesNot() throws Exception {
        String topic = "cli-cutover-wait";
        Cli.dualPublished(topic, 1, 30);
        String group = "cli-cutover-wait";
        Cli.commit(Cli.a(), group, Map.of(new TopicPartition(topic, 0), 10L));
        try (RunningConsumer consumer = new RunningConsumer(Cli.a(), group, topic)) {
            Cli.Result refused = Cli.run("cutover", "--from", Cli.a().bootstrap(), "--to", Cli.b().bootstrap(), "--group",
                group, "--wait-empty", "1s", "--execute", "--certificate", dir.resolve("refused.json").toString());
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err()).contains("Group " + group + " still has 1 active member(s) on cluster at "
                + Cli.a().bootstrap());
            assertThat(Cli.committed(Cli.b(), group)).isEmpty();

            Cli.Running waiting = Cli.start("cutover", "--from", Cli.a().bootstrap(), "--to", Cli.b().bootstrap(), "--group",
                group, "--wait-empty", "60s", "--execute", "--certificate", dir.resolve("waited.json").toString());
            // Once the command has seen the running consumer, stopping it lets the cutover through.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> waiting.err().toString().contains("1 active member(s)") || waiting.result().isDone());
            assertThat(waiting.result()).as(waiting.err().toString()).isNotDone();
            consumer.close();
            Cli.Result done = waiting.result().get(90, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(done.code()).as(done.out() + done.err()).isZero();
            assertThat(done.err()).contains("Group " + group + " has 1 active member(s) on cluster at " + Cli.a().bootstrap()
                + "; waiting for them to stop");
        }
        assertThat(Cli.committed(Cli.b(), group)).containsEntry(new TopicPartition(topic, 0), 10L);
    }

    @Test
    void cutoverRefusesUnresolvedPartitionsWithExitOneAndCommitsNothing() throws Exception {
        String topic = "cli-cutover-unresolved";
        Cli.a().createTopic(topic, 1, Map.of());
        String group = "cli-cutover-unresolved";
        Cli.commit(Cli.a(), group, Map.of(new TopicPartition(topic, 0), 0L));
        Cli.Result r = Cli.run("cutover", "--from", Cli.a().bootstrap(), "--to", Cli.b().bootstrap(), "--group", group,
            "--execute", "--certificate", dir.resolve("c.json").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("UNRESOLVED", "does not exist on the target");
        assertThat(r.err()).contains("refused: 1 partition(s) are UNRESOLVED; nothing was committed");
        assertThat(Cli.committed(Cli.b(), group)).isEmpty();
    }
}
