package dev.turnout.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.turnout.app.logging.LogLevels;

/** The log4j2.xml that ships in the CLI (test JVMs use etc/log4j2-test.xml instead, so it needs its own check). */
class LoggingConfigTest {

    private LoggerContext shipped;

    @BeforeEach
    void loadShippedConfig() throws Exception {
        URI config = getClass().getResource("/log4j2.xml").toURI();
        shipped = Configurator.initialize("shipped", getClass().getClassLoader(), config);
        // Configurator.setLevel acts on the current context; make the shipped one current for this test.
        Configurator.reconfigure(config);
    }

    @AfterEach
    void restoreTestConfig() {
        Configurator.shutdown(shipped);
        Configurator.reconfigure();
    }

    @Test
    void componentsLogAtWarnAndTurnoutAtInfoByDefault() {
        assertThat(shipped.getConfiguration().getConfigurationSource().getLocation()).endsWith("log4j2.xml");
        LoggerContext current = (LoggerContext) LogManager.getContext(false);
        assertThat(current.getLogger("org.apache.kafka.clients.NetworkClient").getLevel()).isEqualTo(Level.WARN);
        assertThat(current.getLogger("kafka.server.KafkaRaftServer").getLevel()).isEqualTo(Level.WARN);
        assertThat(current.getLogger("io.debezium.connector.postgresql.PostgresConnectorTask").getLevel())
            .isEqualTo(Level.WARN);
        assertThat(current.getLogger("dev.turnout.capture.Something").getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void verboseRaisesTurnoutToDebugAndComponentsToInfo() {
        LogLevels.verbose();
        LoggerContext current = (LoggerContext) LogManager.getContext(false);
        assertThat(current.getLogger("dev.turnout.capture.Something").getLevel()).isEqualTo(Level.DEBUG);
        assertThat(current.getLogger("org.apache.kafka.clients.NetworkClient").getLevel()).isEqualTo(Level.INFO);
        assertThat(current.getLogger("io.debezium.embedded.async.AsyncEmbeddedEngine").getLevel()).isEqualTo(Level.INFO);
    }
}
