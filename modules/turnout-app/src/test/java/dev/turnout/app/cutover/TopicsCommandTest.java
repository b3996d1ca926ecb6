package dev.turnout.app.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicsCommandTest {

    @TempDir
    Path dir;

    @Test
    void syncIsADryRunUntilExecuteAndThenCreatesTheTopicsByClusterName() throws Exception {
        Cli.a().createTopic("cli-sync-orders", 3, Map.of("cleanup.policy", "compact"));
        Path config = Cli.config(dir);
        Cli.Result dry = Cli.run("topics", "sync", "-c", config.toString(), "--from", "redpanda", "--to", "kafka",
            "--topics", "cli-sync-.*");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("TOPIC", "ACTION", "cli-sync-orders", "CREATE", "cleanup.policy=compact",
            "Dry run: 1 topic(s) would be created");
        try (var admin = Cli.b().admin()) {
            assertThat(admin.listTopics().names().get()).as("a dry run creates nothing").doesNotContain("cli-sync-orders");
        }
        Cli.Result done = Cli.run("topics", "sync", "-c", config.toString(), "--from", "redpanda", "--to", "kafka",
            "--topics", "cli-sync-.*", "--execute");
        assertThat(done.code()).as(done.err()).isZero();
        assertThat(done.out()).contains("Created 1 topic(s)");
        Cli.Result again = Cli.run("topics", "sync", "-c", config.toString(), "--from", "redpanda", "--to", "kafka",
            "--topics", "cli-sync-.*");
        assertThat(again.out()).contains("IN_SYNC");
    }

    @Test
    void aPartitionMismatchExitsOne() {
        Cli.a().createTopic("cli-mismatch", 3, Map.of());
        Cli.b().createTopic("cli-mismatch", 1, Map.of());
        Cli.Result r = Cli.run("topics", "sync", "--from", Cli.a().bootstrap(), "--to", Cli.b().bootstrap(),
            "--topics", "cli-mismatch", "--execute");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("cli-mismatch (3 on the source, 1 on the target)");
    }

    @Test
    void copyShowsProgressAndCopiesTheBacklogOnce() throws Exception {
        Cli.a().createTopic("cli-copy", 2, Map.of());
        Cli.b().createTopic("cli-copy", 2, Map.of());
        try (KafkaProducer<byte[], byte[]> p = Cli.producer(Cli.a())) {
            for (int i = 0; i < 200; i++) {
                var r = Cli.record("cli-copy", i % 2, System.currentTimeMillis(), "x" + i);
                r.headers().remove("turnout.id");
                p.send(r);
            }
        }
        String[] args = {"topics", "copy", "--from", Cli.a().bootstrap(), "--to", Cli.b().bootstrap(), "--topics", "cli-copy"};
        Cli.Result dry = Cli.run(args);
        assertThat(dry.code()).isZero();
        assertThat(dry.out()).contains("up to 100", "Dry run: up to 200 record(s) would be copied");
        assertThat(Cli.end(Cli.b(), new TopicPartition("cli-copy", 0))).isZero();
        Cli.Result copied = Cli.run(concat(args, "--execute"));
        assertThat(copied.code()).as(copied.err()).isZero();
        assertThat(copied.out()).contains("Copied 200 record(s)");
        assertThat(copied.err()).contains("100% 200/200 records");
        assertThat(Cli.run(concat(args, "--execute")).out()).contains("Copied 0 record(s)");
        assertThat(Cli.end(Cli.b(), new TopicPartition("cli-copy", 0)) + Cli.end(Cli.b(), new TopicPartition("cli-copy", 1)))
            .isEqualTo(200);
    }

    @Test
    void anUnreachableClusterIsOneLineNamingItAndExitsThree() {
        Cli.Result r = Cli.run("topics", "sync", "--from", "127.0.0.1:1", "--to", Cli.b().bootstrap(), "--timeout", "2s");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("turnout sync: cluster at 127.0.0.1:1 is unreachable").doesNotContain("\tat ");
    }

    @Test
    void anUnknownClusterNameIsAUsageError() throws Exception {
        Cli.Result r = Cli.run("topics", "sync", "-c", Cli.config(dir).toString(), "--from", "redpandaa", "--to", "kafka");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Invalid value for --from: 'redpandaa' is neither a cluster name (not among the "
            + "clusters in " + dir.resolve("turnout.yaml") + " (kafka, redpanda)) nor a host:port bootstrap");
    }

    static String[] concat(String[] args, String... more) {
        String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }
}
