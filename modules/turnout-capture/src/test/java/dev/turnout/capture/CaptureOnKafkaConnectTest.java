package dev.turnout.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.turnout.core.TopicNames;
import dev.turnout.core.config.SnapshotMode;
import dev.turnout.core.config.TableId;

/**
 * The scale-out path: the committed {@code connectors/turnout-shop.json} runs on a real Kafka Connect standalone worker
 * and writes the topics {@code turnout capture} writes, in Turnout's Avro.
 */
class CaptureOnKafkaConnectTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final TableId USERS = TableId.parse("public.users");
    static final TableId CONVERSATIONS = TableId.parse("public.conversations");
    static final TableId MESSAGES = TableId.parse("public.messages");

    /**
     * What differs between the example's environment and this test's: where the database is, who logs in, and the names
     * derived from the pipeline name (unique per test on the shared Kafka and PostgreSQL). Everything else comes from the
     * file unchanged.
     */
    static final List<String> ENVIRONMENT = List.of("database.hostname", "database.port", "database.dbname",
        "database.user", "topic.prefix", "slot.name", "publication.name", "table.include.list", "signal.data.collection",
        "topic.creation.ordered.include", "key.converter.schema.registry.url", "value.converter.schema.registry.url");

    /** Settings naming a plugin class. */
    static final Pattern PLUGIN_KEY =
        Pattern.compile("connector\\.class|(key|value)\\.converter|(transforms|predicates)\\.[^.]+\\.type");

    @Test
    void theCommittedConnectFileCapturesIntoTurnoutsTopicsInTurnoutsAvro() throws Exception {
        CaptureFixture f = new CaptureFixture("connect");
        // The example pipeline's own tables, in a fresh database.
        f.sql("CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, display_name text)",
            "CREATE TABLE conversations (id int PRIMARY KEY, title text NOT NULL)",
            "CREATE TABLE messages (id bigint PRIMARY KEY, conversation_id int NOT NULL, body text NOT NULL, "
                + "deleted_at timestamptz)",
            "INSERT INTO users VALUES (1, 'ada@example.com', 'Ada')");
        CaptureSettings test = f.settings(List.of(USERS, CONVERSATIONS, MESSAGES), SnapshotMode.INITIAL);
        // On Connect nobody runs turnout capture's start-up checks; the signal table is created as they would.
        f.sql("CREATE TABLE " + TopicNames.signalTable(f.pipeline)
            + " (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))");

        JsonNode request = new ObjectMapper().readTree(
            Files.readString(ConnectorFilesMatchTheExampleConfigTest.JSON));
        String name = request.get("name").asText();
        Map<String, String> config = new LinkedHashMap<>();
        request.get("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        Map<String, String> derived = ConnectorProperties.kafkaConnect(test);
        ENVIRONMENT.forEach(key -> config.put(key, derived.get(key)));
        config.put("database.password", test.password().reveal());

        try (InProcessConnectWorker worker = InProcessConnectWorker.start(f.kafka.bootstrap())) {
            // Every plugin the file names is found the way the worker finds plugins, not only loadable by class name.
            List<String> named = config.entrySet().stream().filter(e -> PLUGIN_KEY.matcher(e.getKey()).matches())
                .map(Map.Entry::getValue).toList();
            assertThat(named).contains("dev.turnout.core.avro.AvroConverter");
            assertThat(worker.discoveredPlugins()).containsAll(named);
            worker.putConnector(name, config);
            await().atMost(TIMEOUT).until(() -> worker.running(name));

            String usersTopic = TopicNames.cdc(f.pipeline, USERS);
            // The snapshot has been written once the existing user arrives; streaming follows it.
            // ignoreExceptions: the topic appears only with the first record.
            await().atMost(TIMEOUT).ignoreExceptions()
                .until(() -> !f.readChanges(usersTopic, 1, Duration.ofSeconds(2)).isEmpty());
            f.sql("UPDATE users SET display_name = 'Ada L.' WHERE id = 1",
                "INSERT INTO conversations VALUES (7, 'launch')",
                "INSERT INTO messages VALUES (70, 7, 'hello', NULL)",
                "UPDATE messages SET deleted_at = now() WHERE id = 70",
                "DELETE FROM messages WHERE id = 70");

            List<CaptureFixture.Change> users = f.readChanges(usersTopic, 2, TIMEOUT);
            assertThat(users).extracting(CaptureFixture.Change::op).containsExactly("r", "u");
            assertThat(after(users.get(0)).getString("email")).isEqualTo("ada@example.com");
            assertThat(after(users.get(1)).getString("display_name")).isEqualTo("Ada L.");
            assertThat(((Struct) users.get(1).key().value()).getInt32("id")).isEqualTo(1);

            List<CaptureFixture.Change> conversations =
                f.readChanges(TopicNames.cdc(f.pipeline, CONVERSATIONS), 1, TIMEOUT);
            assertThat(conversations).extracting(CaptureFixture.Change::op).containsExactly("c");
            assertThat(after(conversations.get(0)).getString("title")).isEqualTo("launch");

            List<CaptureFixture.Change> messages = f.readChanges(TopicNames.cdc(f.pipeline, MESSAGES), 4, TIMEOUT);
            assertThat(messages).extracting(CaptureFixture.Change::op).containsExactly("c", "u", "d", "tombstone");
            assertThat(after(messages.get(0)).getString("body")).isEqualTo("hello");
            assertThat(after(messages.get(0)).get("deleted_at")).isNull();
            assertThat(after(messages.get(1)).getString("deleted_at")).as("timestamptz as ISO-8601 text").isNotBlank();
            assertThat(messages.get(2).valueStruct().getStruct("before").getInt64("id")).isEqualTo(70L);
            assertThat(((Struct) messages.get(3).key().value()).getInt64("id")).isEqualTo(70L);
            // The same source block turnout capture writes: positions the applier orders by.
            assertThat(messages.subList(0, 3)).allSatisfy(c -> {
                assertThat(c.valueStruct().getStruct("source").getInt64("lsn")).isPositive();
                assertThat(c.valueStruct().getStruct("transaction")).as("transaction metadata").isNotNull();
            });
        } finally {
            f.dropSlot();
        }
    }

    private static Struct after(CaptureFixture.Change c) {
        return c.valueStruct().getStruct("after");
    }
}
