package dev.turnout.transform.stream;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;

import dev.turnout.core.config.ConfigLoader;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TurnoutConfig;
import dev.turnout.transform.CatalogReader;
import dev.turnout.transform.Mappings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The transform in a process of its own, wired as a pipeline process wires it (config file → mappings compiled against
 * the source catalog → {@link TransformService}), for fault tests that kill it with SIGKILL. Arguments: config file,
 * state directory. Prints "TRANSFORM RUNNING" once running; runs until killed.
 */
public final class TransformChild {

    private TransformChild() {
    }

    public static void main(String[] args) throws Exception {
        LoadedConfig loaded = ConfigLoader.load(Path.of(args[0]));
        TurnoutConfig config = loaded.config();
        Mappings mappings;
        try (Connection c = DriverManager.getConnection(config.source().url(), config.source().user(),
            config.source().password().reveal())) {
            mappings = Mappings.compile(loaded, new CatalogReader(c));
        }
        TransformService transform = new TransformService(
            TransformSettings.from(config, config.schemaRegistry().orElseThrow().url()).withStateDir(Path.of(args[1])),
            mappings, new SimpleMeterRegistry());
        transform.start();
        if (transform.awaitRunning(Duration.ofMinutes(1))) {
            System.out.println("TRANSFORM RUNNING");
        }
        System.out.flush();
        while (transform.failure().isEmpty()) {
            Thread.sleep(1000);
        }
        System.out.println("TRANSFORM FAILED " + transform.failure().get().getMessage());
        System.exit(3);
    }
}
