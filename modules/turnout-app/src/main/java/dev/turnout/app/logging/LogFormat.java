package dev.turnout.app.logging;

import java.util.Locale;

import org.apache.logging.log4j.core.config.Configurator;

/**
 * How operator logs are written to stderr: {@link #TEXT} lines, or {@link #JSON} objects (one per line, Elastic Common
 * Schema, via log4j's {@code JsonTemplateLayout}) for log pipelines. Chosen with {@code --log-format} or the
 * environment variable {@value #ENV}; {@code log4j2.xml} selects its layout by the system property {@value #PROPERTY}.
 */
public enum LogFormat {
    TEXT, JSON;

    /** Environment variable giving the default of {@code --log-format}. */
    public static final String ENV = "TURNOUT_LOG_FORMAT";
    /** System property {@code log4j2.xml} reads to pick its layout. */
    public static final String PROPERTY = "turnout.log.format";

    private static volatile LogFormat current = TEXT;

    /** {@code text} or {@code json}, in any case. */
    public static LogFormat parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("expected text or json, got '" + value + "'");
        };
    }

    /** The format in effect. Output that is not a log event (status lines, error lines) follows it too. */
    public static LogFormat current() {
        return current;
    }

    /** Switches the logging configuration to this format, if it is not in effect already. */
    public void apply() {
        boolean json = this == JSON;
        boolean wasJson = "json".equals(System.getProperty(PROPERTY));
        current = this;
        if (json != wasJson) {
            if (json) {
                System.setProperty(PROPERTY, "json");
            } else {
                System.clearProperty(PROPERTY);
            }
            Configurator.reconfigure();
        }
    }
}
