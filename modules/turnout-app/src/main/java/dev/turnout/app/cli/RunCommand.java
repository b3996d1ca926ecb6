package dev.turnout.app.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.turnout.app.http.ServiceEndpoints;
import dev.turnout.capture.CaptureSettings;
import dev.turnout.core.config.ConfigException;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.Mode;
import dev.turnout.core.config.TurnoutConfig;
import dev.turnout.transform.Mappings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code turnout run -c FILE}: the whole replication path in one process, as the config says ({@code mode:
 * replicate}): capture (source → CDC topics), transform (→ apply topics) and apply (→ target), started in that order
 * and stopped in reverse on Ctrl-C, with a one-line live status. A mapping problem exits 2, located; a part that stops
 * by itself stops the verb: exit 3 with its reason. Serves {@code /metrics} and {@code /health} on
 * {@code service.bind} (ready once every part runs).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the pipeline as the config says (mode replicate: capture + transform + apply) until Ctrl-C. "
        + "The target tables must exist: see `turnout schema apply`.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigFileOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LoadedConfig loaded = config.load();
        TurnoutConfig cfg = loaded.config();
        if (cfg.mode() != Mode.REPLICATE) {
            throw new ConfigException(loaded.problemAt("mode", "turnout run replicates the source into the target, "
                + "which mode " + cfg.mode().value() + " leaves to the application; use mode: replicate"));
        }
        Mappings mappings = PipelineParts.mappings(loaded);
        StatusLine status = new StatusLine(spec.commandLine().getErr());
        try (StopSignal stop = new StopSignal("turnout-run");
             ServiceEndpoints service = ServiceEndpoints.start(cfg.service().bind(), cfg.pipeline());
             SchemaRegistryEndpoint registry = SchemaRegistryEndpoint.forConfig(cfg, service.meters());
             Pipeline pipeline = Pipeline.start(service.parts(), steps(loaded, mappings, registry.url(), service))) {
            PipelineStatus line = new PipelineStatus(service.meters());
            try {
                pipeline.runUntilStopped(stop, () -> status.show(line.line()));
            } finally {
                status.finish();
            }
        }
        return ExitCode.OK;
    }

    /** The parts {@code run} starts, in order. */
    static List<Pipeline.Step> steps(LoadedConfig loaded, Mappings mappings, String registryUrl,
                                     ServiceEndpoints service) {
        List<Pipeline.Step> steps = new ArrayList<>();
        steps.add(PipelineParts.capture(CaptureSettings.from(loaded.config(), registryUrl), service.meters()));
        steps.addAll(PipelineParts.transformAndApply(loaded, mappings, registryUrl, service.meters()));
        return steps;
    }
}
