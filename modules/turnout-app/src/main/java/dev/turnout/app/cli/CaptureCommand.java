package dev.turnout.app.cli;

import java.time.Duration;
import java.util.concurrent.Callable;

import dev.turnout.capture.CaptureEngine;
import dev.turnout.capture.CaptureSettings;
import dev.turnout.core.config.TurnoutConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code turnout capture -c FILE}: runs capture alone, with a one-line live status, until Ctrl-C. Exits 3 when capture
 * stops on its own (slot lost, Kafka unreachable), with the reason.
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
    description = "Capture the source's changes into Kafka (Debezium, exactly once) until Ctrl-C.")
final class CaptureCommand implements Callable<Integer> {

    @Mixin
    ConfigFileOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TurnoutConfig cfg = config.load().config();
        StatusLine status = new StatusLine(spec.commandLine().getErr());
        try (StopSignal stop = new StopSignal("turnout-capture");
             SchemaRegistryEndpoint registry = SchemaRegistryEndpoint.forConfig(cfg);
             CaptureEngine capture = CaptureEngine.start(CaptureSettings.from(cfg, registry.url()), new SimpleMeterRegistry())) {
            while (capture.isRunning() && !stop.awaitRequest(Duration.ofSeconds(1))) {
                status.show(capture.status().line());
            }
            status.finish();
            if (capture.failure().isPresent()) {
                throw new CaptureStoppedException(capture.failure().get());
            }
        }
        return ExitCode.OK;
    }

    /** Capture stopped by itself; the cause's message says why. */
    static final class CaptureStoppedException extends RuntimeException {
        CaptureStoppedException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
