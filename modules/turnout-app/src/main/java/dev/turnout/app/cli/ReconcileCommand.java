package dev.turnout.app.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.turnout.app.http.ServiceEndpoints;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TurnoutConfig;
import dev.turnout.reconcile.ReconcileSettings;
import dev.turnout.transform.Mappings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code turnout reconcile -c FILE}: captures the target and reconciles it with the apply topics, key by key, until
 * Ctrl-C, with a one-line live status (keys per status, oldest unresolved difference). A mapping problem, or a target
 * table that is missing or keyed otherwise than its mapping, exits 2; reconciliation stopping by itself exits 3 with
 * the reason. Serves {@code /metrics} and {@code /health} on {@code service.bind} (ready once it runs).
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
    description = "Capture the target and compare it, key by key, with what the transform expects, until Ctrl-C; "
        + "per-key status and per-table summaries go to compacted topics.")
final class ReconcileCommand implements Callable<Integer> {

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
        try (StopSignal stop = new StopSignal("turnout-reconcile");
             ServiceEndpoints service = ServiceEndpoints.start(cfg.service().bind(), cfg.pipeline());
             SchemaRegistryEndpoint registry = SchemaRegistryEndpoint.forConfig(cfg, service.meters());
             Pipeline pipeline = Pipeline.start(service.parts(),
                 List.of(PipelineParts.reconcile(ReconcileSettings.from(loaded.config(), registry.url()),
                     mappings, service.meters())))) {
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
