package dev.turnout.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import dev.turnout.capture.internal.TopicOffsetProperties;
import dev.turnout.core.config.Secret;
import dev.turnout.core.config.SnapshotMode;
import dev.turnout.core.config.TableId;

/** Credentials from the config stay out of the generated files, Kafka client credentials included. */
class ConnectorFilesHoldNoCredentialsTest {

    static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"capture\" "
        + "password=\"kafka-secret\";";

    @Test
    void theEmbeddedFileReplacesCredentialBearingClientPropertiesAndKeepsTheOthers() throws IOException {
        CaptureSettings settings = new CaptureSettings("shop", "jdbc:postgresql://db:5432/app", "capture",
            Secret.of("db-secret"), List.of(TableId.parse("public.users")), SnapshotMode.INITIAL, "kafka:9092",
            Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config", JAAS, "ssl.truststore.password", "ts-secret"),
            "http://registry:8081", 1, Duration.ofSeconds(10), List.of(), "outbox.{aggregateType}");
        String text = ConnectorFiles.embeddedProperties(settings, "test");
        assertThat(text).doesNotContain("db-secret", "kafka-secret", "ts-secret");
        assertThat(ConnectorFiles.kafkaConnectJson(settings)).doesNotContain("db-secret", "kafka-secret", "ts-secret");

        Properties read = new Properties();
        read.load(new StringReader(text));
        assertThat(read.getProperty(TopicOffsetProperties.CLIENT_PREFIX + "security.protocol")).isEqualTo("SASL_SSL");
        assertThat(read.getProperty(TopicOffsetProperties.CLIENT_PREFIX + "sasl.jaas.config")).startsWith("<supplied");
        assertThat(read.getProperty("database.password")).isEqualTo(ConnectorFiles.PASSWORD_PLACEHOLDER);
    }
}
