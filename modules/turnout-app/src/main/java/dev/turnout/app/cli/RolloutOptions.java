package dev.turnout.app.cli;

import java.time.Duration;

import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TurnoutConfig;
import dev.turnout.rollout.RolloutControl;
import dev.turnout.rollout.RolloutSettings;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Shared options of the rollout verbs: the config (its pipeline names the gates' topics, its {@code kafka} holds
 * {@code turnout.rollout.state}, its {@code rollout} section gives the ladder and thresholds) and the request timeout.
 */
final class RolloutOptions {

    @Mixin
    ConfigFileOption config;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
        description = "How long a Kafka or registry request may take before it counts as unreachable "
            + "(default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** The loaded config, the registry it uses (embedded unless external) and a connected control, closed together. */
    Session open() {
        LoadedConfig loaded = config.load();
        TurnoutConfig cfg = loaded.config();
        SchemaRegistryEndpoint registry = SchemaRegistryEndpoint.forConfig(cfg);
        try {
            RolloutSettings settings = RolloutSettings.fromConfig(cfg, registry.url()).withRequestTimeout(timeout);
            return new Session(cfg, settings, registry, RolloutControl.connect(settings, cfg.pipeline(), cfg.rollout()));
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    /** What a rollout verb works with; closing it closes the control and the registry. */
    record Session(TurnoutConfig config, RolloutSettings settings, SchemaRegistryEndpoint registry,
                   RolloutControl control) implements AutoCloseable {
        @Override
        public void close() {
            try {
                control.close();
            } finally {
                registry.close();
            }
        }
    }

    /** The user recorded as making a change: {@code --by}, else the operating system's user name. */
    static String who(String by) {
        if (by != null && !by.isBlank()) {
            return by;
        }
        String user = System.getProperty("user.name");
        return user == null || user.isBlank() ? "unknown" : user;
    }
}
