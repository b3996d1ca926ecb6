package dev.turnout.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.turnout.core.TopicNames;
import dev.turnout.core.config.SnapshotMode;
import dev.turnout.core.config.TableId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class CapturePublicationTest {

    @Test
    void thePublicationCoversExactlyTheConfiguredTablesAndGrowsWhenATableIsAdded() throws Exception {
        CaptureFixture f = new CaptureFixture("pub");
        TableId a = TableId.parse("public.a");
        TableId b = TableId.parse("public.b");
        f.sql("CREATE TABLE a (id int PRIMARY KEY)", "CREATE TABLE b (id int PRIMARY KEY)", "CREATE TABLE c (id int PRIMARY KEY)");
        try (CaptureEngine capture = CaptureEngine.start(f.settings(List.of(a), SnapshotMode.INITIAL),
            new SimpleMeterRegistry())) {
            assertThat(capture.awaitStreaming(Duration.ofMinutes(1))).isTrue();
            assertThat(publishedTables(f)).containsExactly("a", TopicNames.signalTable(f.pipeline).table());
        }

        try (CaptureEngine capture = CaptureEngine.start(f.settings(List.of(a, b), SnapshotMode.INITIAL),
            new SimpleMeterRegistry())) {
            assertThat(capture.awaitStreaming(Duration.ofMinutes(1))).isTrue();
            assertThat(publishedTables(f)).containsExactly("a", "b", TopicNames.signalTable(f.pipeline).table());
            f.sql("INSERT INTO b VALUES (1)", "INSERT INTO c VALUES (1)");
            await().atMost(Duration.ofMinutes(1))
                .until(() -> f.readChanges(TopicNames.cdc(f.pipeline, b), 1, Duration.ofSeconds(1)).size() == 1);
        }
    }

    private static List<String> publishedTables(CaptureFixture f) throws Exception {
        List<String> tables = new ArrayList<>();
        try (Connection c = f.pg.connect(f.database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT tablename FROM pg_publication_tables WHERE pubname = '"
                 + TopicNames.publication(f.pipeline) + "' ORDER BY tablename")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }
}
