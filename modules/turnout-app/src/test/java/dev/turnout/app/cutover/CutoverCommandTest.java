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
