package dev.turnout.app.cli;

import java.util.concurrent.Callable;

import dev.turnout.app.http.ServiceEndpoints;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TurnoutConfig;
import dev.turnout.transform.Mappings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code turnout apply -c FILE}: runs the transform (CDC topics → apply topics) and the applier (apply topics → target)
 * until Ctrl-C, with a one-line live status. The mappings are compiled against the source catalog first; a mapping
 * problem exits 2 with each problem located in the config. A part that stops by itself stops the verb: exit 3 with its
 * reason. Serves {@code /metrics} and {@code /health} on {@code service.bind} (ready once both parts run).
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = "Transform the captured changes and apply them to the target (exactly once, position-guarded) "
        + "until Ctrl-C. The target tables must exist: see `turnout schema apply`.")
final class ApplyCommand implements Callable<Integer> {

    @Mixin
    ConfigFileOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LoadedConfig loaded = config.load();
        TurnoutConfig cfg = loaded.config();
        Mappings mappings = PipelineParts.mappings(loaded);
        StatusLine status = new StatusLine(spec.commandLine().getErr());
        try (StopSignal stop = new StopSignal("turnout-apply");
             ServiceEndpoints service = ServiceEndpoints.start(cfg.service().bind(), cfg.pipeline());
             SchemaRegistryEndpoint registry = SchemaRegistryEndpoint.forConfig(cfg, service.meters());
             Pipeline pipeline = Pipeline.start(service.parts(),
                 PipelineParts.transformAndApply(loaded, mappings, registry.url(), service.meters()))) {
            PipelineStatus line = new PipelineStatus(service.meters());
            try {
                pipeline.runUntilStopped(stop, () -> status.show(line.line()));
            } finally {
                status.finish();
            }
        }
        return ExitCode.OK;
    }
}
