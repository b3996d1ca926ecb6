package dev.turnout.app.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.turnout.reconcile.ReconcileSettings;
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
        return PipelineVerb.run("turnout-reconcile", config.load(), spec, (loaded, mappings, registryUrl, service) ->
            List.of(PipelineParts.reconcile(ReconcileSettings.from(loaded.config(), registryUrl), mappings,
                service.meters())));
    }
}
