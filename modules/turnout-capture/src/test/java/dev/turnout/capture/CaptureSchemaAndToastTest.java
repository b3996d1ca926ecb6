package dev.turnout.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

import dev.turnout.core.ChangeEvents;
import dev.turnout.core.TopicNames;
import dev.turnout.core.config.SnapshotMode;
import dev.turnout.core.config.TableId;
import dev.turnout.core.registry.RestSchemaRegistryClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class CaptureSchemaAndToastTest {

    static final Duration TIMEOUT = Duration.ofMinutes(1);

    @Test
    void aColumnAddedMidStreamRegistersACompatibleVersionAndOldAndNewRecordsDecode() throws Exception {
        CaptureFixture f = new CaptureFixture("ddl");
        TableId users = TableId.parse("public.users");
        String topic = TopicNames.cdc(f.pipeline, users);
        f.sql("CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL)");
        try (CaptureEngine capture = CaptureEngine.start(f.settings(List.of(users), SnapshotMode.INITIAL),
            new SimpleMeterRegistry())) {
            assertThat(capture.awaitStreaming(TIMEOUT)).isTrue();
            f.sql("INSERT INTO users VALUES (1, 'ada@example.com')");
            await().atMost(TIMEOUT).until(() -> !f.readChanges(topic, 1, Duration.ofSeconds(1)).isEmpty());
            f.sql("ALTER TABLE users ADD COLUMN display_name text", "INSERT INTO users VALUES (2, 'bob@example.com', 'Bob')");

            List<CaptureFixture.Change> changes = f.readChanges(topic, 2, TIMEOUT);
            assertThat(changes).hasSize(2);
            Struct before = changes.get(0).valueStruct().getStruct("after");
            Struct after = changes.get(1).valueStruct().getStruct("after");
            assertThat(before.schema().field("display_name")).isNull();
            assertThat(before.getString("email")).isEqualTo("ada@example.com");
            assertThat(after.getString("display_name")).isEqualTo("Bob");

            RestSchemaRegistryClient registry = RestSchemaRegistryClient.forUrl(CaptureFixture.registryUrl());
            assertThat(registry.versions(topic + "-value")).containsExactly(1, 2);
            assertThat(registry.latest(topic + "-value").schema().toString()).contains("display_name");
        }
    }

    @Test
    void anUnchangedToastedValueArrivesAsDebeziumsPlaceholder() throws Exception {
        CaptureFixture f = new CaptureFixture("toast");
        TableId docs = TableId.parse("public.docs");
        String topic = TopicNames.cdc(f.pipeline, docs);
        f.sql("CREATE TABLE docs (id int PRIMARY KEY, title text, body text)",
            "ALTER TABLE docs ALTER COLUMN body SET STORAGE EXTERNAL");
        try (CaptureEngine capture = CaptureEngine.start(f.settings(List.of(docs), SnapshotMode.INITIAL),
            new SimpleMeterRegistry())) {
            assertThat(capture.awaitStreaming(TIMEOUT)).isTrue();
            // Stored out of line (EXTERNAL, > 2 kB): an update that does not touch it does not carry it in the WAL.
            f.sql("INSERT INTO docs VALUES (1, 'draft', repeat('x', 20000))");
            f.sql("UPDATE docs SET title = 'final' WHERE id = 1");

            List<CaptureFixture.Change> changes = f.readChanges(topic, 2, TIMEOUT);
            assertThat(changes.get(0).valueStruct().getStruct("after").getString("body")).hasSize(20000);
            Struct updated = changes.get(1).valueStruct().getStruct("after");
            assertThat(updated.getString("title")).isEqualTo("final");
            assertThat(updated.getString("body")).isEqualTo(ChangeEvents.UNAVAILABLE_VALUE_PLACEHOLDER);
        }
    }

    @Test
    void anOnDemandIncrementalSnapshotRereadsTheTableWhileStreamingContinues() throws Exception {
        CaptureFixture f = new CaptureFixture("incr");
        TableId items = TableId.parse("public.items");
        String topic = TopicNames.cdc(f.pipeline, items);
        f.sql("CREATE TABLE items (id int PRIMARY KEY, name text)",
            "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 5000) g");
        CaptureSettings settings = f.settings(List.of(items), SnapshotMode.NEVER);
        try (CaptureEngine capture = CaptureEngine.start(settings, new SimpleMeterRegistry())) {
            assertThat(capture.awaitStreaming(TIMEOUT)).isTrue();
            f.sql("INSERT INTO items VALUES (5001, 'streamed')");
            await().atMost(TIMEOUT).until(() -> !f.readChanges(topic, 1, Duration.ofSeconds(1)).isEmpty());

            SnapshotSignals.requestIncrementalSnapshot(settings, items);
            f.sql("INSERT INTO items VALUES (5002, 'streamed during the snapshot')");

            List<CaptureFixture.Change> changes = f.readChanges(topic, 5003, Duration.ofMinutes(2));
            Map<String, Long> ops = changes.stream().collect(java.util.stream.Collectors.groupingBy(
                CaptureFixture.Change::op, java.util.stream.Collectors.counting()));
            assertThat(ops.get("r")).as("every existing row re-read by the snapshot").isGreaterThanOrEqualTo(5001);
            assertThat(ops.get("c")).isEqualTo(2);
        }
    }
}
