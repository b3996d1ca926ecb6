package dev.turnout.core.registry.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.turnout.core.registry.embedded.EmbeddedSchemaRegistry.Settings;

class RegistrySettingsTest {

    @Test
    void defaultsAreTheSchemasTopicLoopbackAndAFreePort() {
        Settings settings = Settings.of("127.0.0.1:9092");

        assertThat(settings.bootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(settings.topic()).isEqualTo("_schemas");
        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isZero();
        assertThat(settings.kafkaProperties()).isEmpty();
    }

    @Test
    void withersChangeOneSettingEach() {
        Settings settings = Settings.of("k:9092").withTopic("_registry").withPort(8081).withHost("127.0.0.2")
            .withKafkaProperties(Map.of("security.protocol", "SASL_SSL"));

        assertThat(settings).isEqualTo(new Settings("k:9092", Map.of("security.protocol", "SASL_SSL"), "_registry",
            "127.0.0.2", 8081, RegistrySecurity.NONE));
    }

    @Test
    void toStringNamesKafkaPropertiesButHidesTheirValues() {
        Settings settings = Settings.of("k:9092").withKafkaProperties(Map.of("sasl.jaas.config",
            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"hunter2\";"));

        assertThat(settings.toString()).contains("sasl.jaas.config").doesNotContain("hunter2");
    }

    @Test
    void rejectsMissingBootstrapTopicOrHostAndPortsOutOfRange() {
        assertThatThrownBy(() -> Settings.of(" ")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("bootstrap");
        assertThatThrownBy(() -> Settings.of("k:9092").withTopic("")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("topic");
        assertThatThrownBy(() -> Settings.of("k:9092").withHost(null)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("host");
        assertThatThrownBy(() -> Settings.of("k:9092").withPort(70000)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("70000");
    }
}
