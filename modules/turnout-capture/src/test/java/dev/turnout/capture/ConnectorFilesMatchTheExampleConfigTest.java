package dev.turnout.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.turnout.core.config.ConfigLoader;
import dev.turnout.core.config.TurnoutConfig;

/**
 * The files in {@code connectors/} are what {@link ConnectorProperties} makes of {@code examples/turnout.yaml}; regenerate
 * them with {@code -Dturnout.updateConnectors=true}.
 */
class ConnectorFilesMatchTheExampleConfigTest {

    static final Path EXAMPLE = Path.of("../../examples/turnout.yaml");
    static final Path PROPERTIES = Path.of("../../connectors/turnout-shop.properties");
    static final Path JSON = Path.of("../../connectors/turnout-shop.json");
    static final String REGENERATE = "./mvnw -pl modules/turnout-capture -am test "
        + "-Dtest=ConnectorFilesMatchTheExampleConfigTest -Dsurefire.failIfNoSpecifiedTests=false "
        + "-Dturnout.updateConnectors=true";

    /** The example's settings as they are with no environment variables set, so the files do not depend on who builds. */
    static CaptureSettings exampleSettings(Map<String, String> env) {
        TurnoutConfig config = ConfigLoader.load(EXAMPLE, env).config();
        return CaptureSettings.from(config, config.schemaRegistry().orElseThrow().url());
    }

    @Test
    void committedConnectorFilesAreWhatConnectorPropertiesGeneratesFromTheExample() throws IOException {
        CaptureSettings settings = exampleSettings(Map.of());
        String properties = ConnectorFiles.embeddedProperties(settings, "examples/turnout.yaml");
        String json = ConnectorFiles.kafkaConnectJson(settings);
        if (Boolean.getBoolean("turnout.updateConnectors")) {
            Files.createDirectories(PROPERTIES.getParent());
            Files.writeString(PROPERTIES, properties);
            Files.writeString(JSON, json);
        }
        assertThat(PROPERTIES).as("connectors/turnout-shop.properties is stale; regenerate with " + REGENERATE)
            .exists().hasContent(properties);
        assertThat(JSON).as("connectors/turnout-shop.json is stale; regenerate with " + REGENERATE)
            .exists().hasContent(json);
    }

    @Test
    void bothFilesCarryTheSameConnectorSettingsAndNeitherHoldsThePassword() throws IOException {
        String password = "s3cret-only-in-the-environment";
        CaptureSettings settings = exampleSettings(Map.of("SOURCE_PASSWORD", password));
        String propertiesText = ConnectorFiles.embeddedProperties(settings, "examples/turnout.yaml");
        String jsonText = ConnectorFiles.kafkaConnectJson(settings);
        assertThat(propertiesText).doesNotContain(password);
        assertThat(jsonText).doesNotContain(password);

        Properties embedded = new Properties();
        embedded.load(new StringReader(propertiesText));
        Map<String, Object> request =
            new ObjectMapper().readValue(jsonText, new TypeReference<Map<String, Object>>() { });
        @SuppressWarnings("unchecked")
        Map<String, String> connect = (Map<String, String>) request.get("config");

        assertThat(request.get("name")).isEqualTo("turnout-shop").isEqualTo(connect.get("name"));
        // Read back through the formats' own parsers: escaping (the include list's "\.") survives both.
        ConnectorProperties.connector(settings).forEach((key, value) -> {
            assertThat(embedded.getProperty(key)).as("%s in the .properties", key).isEqualTo(value);
            assertThat(connect.get(key)).as("%s in the .json", key).isEqualTo(value);
        });
        assertThat(embedded.getProperty("database.password")).isEqualTo(ConnectorFiles.PASSWORD_PLACEHOLDER);
        assertThat(connect.get("database.password")).isEqualTo("${env:SOURCE_PASSWORD}");
        assertThat(connect.get("value.converter")).isEqualTo("dev.turnout.core.avro.AvroConverter");
    }
}
