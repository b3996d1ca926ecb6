package dev.turnout.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import dev.turnout.core.TopicNames;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TableId;
import dev.turnout.reconcile.verify.VerifyException;
import dev.turnout.reconcile.verify.Verifier;
import dev.turnout.reconcile.verify.VerifyOptions;
import dev.turnout.reconcile.verify.VerifyProgress;
import dev.turnout.reconcile.verify.VerifyReport;

/**
 * {@code turnout verify} in replicate mode against the real capture and transform: it waits until capture has passed
 * the source position and the transform has consumed the CDC topics, then until the applier's {@code turnout_offsets}
 * in the target stand at the apply topics' ends, and fails with a clear message when they do not. The target's rows
 * and {@code turnout_offsets} are written by the test as the applier would leave them (there is no applier in this
 * module); a key whose target row was written from a change beyond the compared position is compared again, not
 * reported.
 */
class VerifyReplicateTest {

    private static final TableId ACCOUNTS = TableId.parse("public.accounts");
    private static final int ROWS = 1_000;

    @Test
    void verifyWaitsForThePipelineAndDefersKeysTheTargetChangedSinceThePosition() throws Exception {
        try (PipelineFixture f = new PipelineFixture("verify_rep")) {
            f.source("CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, score int NOT NULL)",
                "INSERT INTO users SELECT i, 'u' || i || '@example.com', i % 10 FROM generate_series(1, " + ROWS + ") i");
            f.target("CREATE TABLE accounts (id bigint PRIMARY KEY, mail text NOT NULL, score bigint NOT NULL, "
                    + "_turnout_lsn bigint)",
                // The applier's offsets table, as its contract defines it.
                "CREATE TABLE turnout_offsets (group_id text NOT NULL, topic text NOT NULL, partition integer NOT NULL, "
                    + "next_offset bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(), "
                    + "PRIMARY KEY (group_id, topic, partition))",
                "INSERT INTO accounts SELECT i, 'u' || i || '@example.com', i % 10, 1 FROM generate_series(1, "
                    + ROWS + ") i",
                // 7 differs and was written from an old position: a difference. 8 differs but was written from a
                // change far beyond any position verify compares at: in flight.
                "UPDATE accounts SET score = 99 WHERE id = 7",
                "UPDATE accounts SET score = 98, _turnout_lsn = 9000000000000000000 WHERE id = 8");
            LoadedConfig config = f.config(List.of("public.users"), "replicate", """
                mappings:
                  - from: public.users
                    to: public.accounts
                    columns:
                      id: row.id
                      mail: row.email
                      score: row.score
                """);
            f.startCapture(config);
            f.startTransform(config);
            VerifyOptions options = VerifyOptions.from(config.config()).withTimeout(Duration.ofSeconds(5));

            assertThatThrownBy(() -> Verifier.run(config, options, VerifyProgress.NONE))
                .isInstanceOf(VerifyException.class)
                .satisfies(e -> assertThat(((VerifyException) e).kind()).isEqualTo(VerifyException.Kind.FAILED))
                .hasMessageContaining("the applier (group " + TopicNames.applyGroup(f.pipeline))
                .hasMessageContaining(TopicNames.apply(f.pipeline, ACCOUNTS) + "-")
                .hasMessageContaining("is the applier (turnout apply or turnout run) running?");

            // What the applier leaves once it has applied everything: its next offsets at the apply topic's end.
            String topic = TopicNames.apply(f.pipeline, ACCOUNTS);
            Map<TopicPartition, Long> ends = await().atMost(PipelineFixture.TIMEOUT).until(() -> ends(f, topic),
                e -> e.values().stream().mapToLong(Long::longValue).sum() >= ROWS);
            f.target(ends.entrySet().stream().map(e -> "INSERT INTO turnout_offsets (group_id, topic, partition, "
                + "next_offset) VALUES ('" + TopicNames.applyGroup(f.pipeline) + "', '" + topic + "', "
                + e.getKey().partition() + ", " + e.getValue() + ")").toArray(String[]::new));

            VerifyReport report = Verifier.run(config, options, VerifyProgress.NONE);

            VerifyReport.Table table = report.tables().get(0);
            assertThat(table.sourceRows()).isEqualTo(ROWS);
            assertThat(table.mismatchSample()).extracting(VerifyReport.Mismatch::key).containsExactly("id=7");
            assertThat(table.mismatched()).isEqualTo(1);
            assertThat(table.missing() + table.extra()).isZero();
            assertThat(table.unsettledSample()).containsExactly("id=8");
            assertThat(report.equal()).isFalse();
            assertThat(report.notes()).anySatisfy(n -> assertThat(n).contains("had changed in the target since"));
        }
    }

    private static Map<TopicPartition, Long> ends(PipelineFixture f, String topic) {
        Map<String, Object> props = new HashMap<>(f.kafka.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                 new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
            return consumer.endOffsets(partitions);
        }
    }
}
