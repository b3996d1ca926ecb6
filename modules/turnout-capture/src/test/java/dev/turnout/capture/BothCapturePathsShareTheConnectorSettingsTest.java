package dev.turnout.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.turnout.core.config.Secret;
import dev.turnout.core.config.SnapshotMode;
import dev.turnout.core.config.TableId;

/** The embedded engine and a Kafka Connect worker get the same connector settings; each adds only its own plumbing. */
class BothCapturePathsShareTheConnectorSettingsTest {

    static final CaptureSettings SETTINGS = new CaptureSettings("shop", "jdbc:postgresql://db.internal:5432/app",
        "capture", Secret.of("pw"), List.of(TableId.parse("public.users")), SnapshotMode.INITIAL, "kafka:9092",
        Map.of("security.protocol", "SASL_SSL"), "http://registry:8081", 3, Duration.ofSeconds(10),
        List.of(TableId.parse("public.outbox")), "outbox.{aggregateType}");

    @Test
    void everyConnectorSettingReachesBothPathsUnchanged() {
        Map<String, String> shared = ConnectorProperties.connector(SETTINGS);
        assertThat(shared).isNotEmpty();
        assertThat(ConnectorProperties.embedded(SETTINGS)).containsAllEntriesOf(shared);
        assertThat(ConnectorProperties.kafkaConnect(SETTINGS)).containsAllEntriesOf(shared);
        // Debezium reads these in either runtime; set on one path only, the two would behave differently.
        assertThat(shared).containsKeys("errors.max.retries", "transforms", "predicates", "heartbeat.interval.ms");
    }

    @Test
    void theConnectSettingsHoldNoEnginePlumbingAndNoPassword() {
        Map<String, String> shared = ConnectorProperties.connector(SETTINGS);
        Map<String, String> connect = ConnectorProperties.kafkaConnect(SETTINGS);
        assertThat(connect.keySet()).filteredOn(key -> !shared.containsKey(key)).allSatisfy(key -> assertThat(key)
            .as("a setting a Connect worker reads per connector")
            .matches("name|database\\.password|(key|value)\\.converter(\\..+)?|topic\\.creation\\..+"));
        assertThat(connect).containsEntry("database.password", "${env:SOURCE_PASSWORD}")
            .containsEntry("topic.creation.default.partitions", "3")
            .containsEntry("topic.creation.ordered.partitions", "1");
        assertThat(connect.values()).doesNotContain("pw");
    }
}
