package dev.turnout.transform.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The Kafka Streams settings the transform runs with, and which of them kafka.properties may change. */
class StreamsPropertiesTest {

    private static Properties with(Map<String, String> kafkaProperties) {
        return TransformService.streamsProperties(new TransformSettings("shop", "127.0.0.1:9092", kafkaProperties,
            "http://127.0.0.1:8081", 4, Path.of("state")));
    }

    @Test
    void commitsEveryTwentyFiveMillisecondsUnlessKafkaPropertiesSayOtherwise() {
        assertThat(with(Map.of()).get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo("25");
        assertThat(with(Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "250"))
            .get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo("250");
    }

    @Test
    void exactlyOnceCannotBeTurnedOffThroughKafkaProperties() {
        assertThat(with(Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE))
            .get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    }

    @Test
    void theCommitIntervalIsOneStreamsAccepts() {
        StreamsConfig config = new StreamsConfig(with(Map.of()));
        assertThat(config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(25L);
    }
}
