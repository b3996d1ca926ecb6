package dev.turnout.capture;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Renders a pipeline's connector settings as the files in {@code connectors/}: the embedded engine's settings as a
 * {@code .properties} file and the Kafka Connect settings as the REST/standalone JSON {@code {"name", "config"}}. Both
 * come from {@link ConnectorProperties}, so the files say exactly what each path runs with.
 *
 * <p>No file holds a secret: the Connect file reads the password through the worker's {@code env} config provider, and
 * the properties file names a placeholder where {@code turnout capture} puts the password (and any credential-bearing
 * Kafka client property) at start. Output is deterministic (no timestamps), so committed files can be compared.
 * Stateless and thread-safe.
 */
public final class ConnectorFiles {

    /** The embedded engine's password; {@code turnout capture} supplies the value from {@code source.password}. */
    public static final String PASSWORD_PLACEHOLDER = "${SOURCE_PASSWORD}";

    /** Kafka client properties whose values are credentials, as in the config's masking. */
    private static final Pattern CREDENTIAL = Pattern.compile("(?i)password|secret|jaas|token|credentials");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConnectorFiles() {
    }

    /**
     * The embedded engine's settings ({@link ConnectorProperties#embedded}) as a properties file, with the password as
     * {@link #PASSWORD_PLACEHOLDER}. {@code origin} names the config the settings came from, for the header comment.
     */
    public static String embeddedProperties(CaptureSettings settings, String origin) {
        Map<String, String> props = new LinkedHashMap<>(ConnectorProperties.embedded(settings));
        props.put("database.password", PASSWORD_PLACEHOLDER);
        StringBuilder out = new StringBuilder()
            .append("# Debezium embedded-engine settings of pipeline '").append(settings.pipeline())
            .append("', as `turnout capture` runs them.\n")
            .append("# Generated from ").append(origin).append(" by ConnectorProperties.embedded; do not edit.\n")
            .append("# The same connector settings for a Kafka Connect worker: turnout-").append(settings.pipeline())
            .append(".json.\n")
            .append("# database.password is a placeholder: `turnout capture` supplies the password from ")
            .append("source.password at start;\n# it is never written to a file.\n");
        props.forEach((k, v) -> {
            String value = isClientCredential(k) ? "<supplied by turnout capture from kafka.properties>" : v;
            out.append(escape(k, true)).append('=').append(escape(value, false)).append('\n');
        });
        return out.toString();
    }

    /** The Kafka Connect settings ({@link ConnectorProperties#kafkaConnect}) as {@code {"name", "config"}} JSON. */
    public static String kafkaConnectJson(CaptureSettings settings) {
        Map<String, String> config = ConnectorProperties.kafkaConnect(settings);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", config.get("name"));
        request.put("config", config);
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        printer.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
        printer.indentObjectsWith(new DefaultIndenter("  ", "\n"));
        try {
            return JSON.writer(printer).writeValueAsString(request) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A map of strings did not render as JSON: " + e.getMessage(), e);
        }
    }

    private static boolean isClientCredential(String key) {
        return key.startsWith(dev.turnout.capture.internal.TopicOffsetProperties.CLIENT_PREFIX)
            && CREDENTIAL.matcher(key).find();
    }

    /** Escapes as {@link java.util.Properties#load(java.io.Reader)} reads it back. */
    private static String escape(String s, boolean key) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\f' -> out.append("\\f");
                case '=', ':' -> out.append(key ? "\\" + c : String.valueOf(c));
                case '#', '!' -> out.append(i == 0 ? "\\" + c : String.valueOf(c));
                case ' ' -> out.append(key || i == 0 ? "\\ " : " ");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
