package dev.turnout.app.logging;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/** Raises log levels for {@code --verbose}; the defaults live in {@code log4j2.xml}. */
public final class LogLevels {

    private LogLevels() {
    }

    public static void verbose() {
        Configurator.setLevel("dev.turnout", Level.DEBUG);
        for (String component : new String[] {"org.apache.kafka", "kafka", "io.debezium", "io.zonky", "com.zaxxer.hikari"}) {
            Configurator.setLevel(component, Level.INFO);
        }
    }
}
