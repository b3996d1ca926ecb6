package dev.turnout.app.cli;

import java.time.Duration;
import java.util.concurrent.Callable;

import dev.turnout.app.http.ServiceEndpoints;
import dev.turnout.capture.CaptureEngine;
import dev.turnout.capture.CaptureSettings;
import dev.turnout.core.config.TurnoutConfig;
import dev.turnout.core.health.Part;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code turnout capture -c FILE}: runs capture alone, with a one-line live status, until Ctrl-C. Exits 3 when capture
 * stops on its own (slot lost, Kafka unreachable), with the reason. Serves {@code /metrics} and {@code /health} on
 * {@code service.bind} from before capture starts (not ready until it runs) until it has stopped.
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
             ServiceEndpoints service = ServiceEndpoints.start(cfg.service().bind(), cfg.pipeline());
             SchemaRegistryEndpoint registry = SchemaRegistryEndpoint.forConfig(cfg, service.meters());
             CaptureEngine capture = startCapture(service, CaptureSettings.from(cfg, registry.url()))) {
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

    /** Starts capture with its meters and health on the service endpoints; not ready until it runs. */
    static CaptureEngine startCapture(ServiceEndpoints service, CaptureSettings settings) {
        service.parts().expect(Part.CAPTURE);
        CaptureEngine capture = CaptureEngine.start(settings, service.meters());
        service.parts().register(Part.CAPTURE, capture);
        return capture;
    }

    /** Capture stopped by itself; the cause's message says why. */
    static final class CaptureStoppedException extends RuntimeException {
        CaptureStoppedException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
