package dev.turnout.app.cli;

import java.util.List;

import dev.turnout.app.http.ServiceEndpoints;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TurnoutConfig;
import dev.turnout.transform.Mappings;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What {@code apply}, {@code reconcile} and {@code run} share: the mappings compiled against the source catalog (a
 * problem exits 2, located), the service endpoints and the schema registry, the verb's parts started in order, a
 * one-line live status until Ctrl-C or until a part stops by itself, and everything closed in reverse.
 */
final class PipelineVerb {

    /** The parts a verb starts, in order. */
    @FunctionalInterface
    interface Steps {
        List<Pipeline.Step> of(LoadedConfig loaded, Mappings mappings, String registryUrl, ServiceEndpoints service);
    }

    private PipelineVerb() {
    }

    /** Runs the parts of {@code steps} until stopped; {@code name} names the stop signal's thread. */
    static int run(String name, LoadedConfig loaded, CommandSpec spec, Steps steps) throws Exception {
        TurnoutConfig cfg = loaded.config();
        Mappings mappings = PipelineParts.mappings(loaded);
        StatusLine status = new StatusLine(spec.commandLine().getErr());
        try (StopSignal stop = new StopSignal(name);
             ServiceEndpoints service = ServiceEndpoints.start(cfg.service().bind(), cfg.pipeline());
             SchemaRegistryEndpoint registry = SchemaRegistryEndpoint.forConfig(cfg, service.meters());
             Pipeline pipeline = Pipeline.start(service.parts(),
                 steps.of(loaded, mappings, registry.url(), service))) {
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
