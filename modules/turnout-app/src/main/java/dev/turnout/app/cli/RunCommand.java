package dev.turnout.app.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.turnout.app.http.ServiceEndpoints;
import dev.turnout.capture.CaptureSettings;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.Mode;
import dev.turnout.core.config.TurnoutConfig;
import dev.turnout.reconcile.ReconcileSettings;
import dev.turnout.transform.Mappings;
import dev.turnout.transform.stream.TransformSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code turnout run -c FILE}: the pipeline in one process, as the config says: capture (source → CDC topics),
 * transform (→ apply topics), apply (→ target; not in {@code mode: dual-write}, where the application writes the
 * target), continuous reconciliation ({@code reconcile.continuous}) and the dashboard ({@code dashboard.enabled}),
 * started in that order and stopped in reverse on Ctrl-C, with a one-line live status. A mapping problem exits 2, located; a part that stops
 * by itself stops the verb: exit 3 with its reason. Serves {@code /metrics} and {@code /health} on
 * {@code service.bind} (ready once every part runs).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the pipeline as the config says (capture, transform, apply unless mode is dual-write, "
        + "reconcile, dashboard) until Ctrl-C. The target tables must exist: see `turnout schema apply`.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigFileOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return PipelineVerb.run("turnout-run", config.load(), spec, RunCommand::steps);
    }

    /** The parts {@code run} starts, in order. */
    static List<Pipeline.Step> steps(LoadedConfig loaded, Mappings mappings, String registryUrl,
                                     ServiceEndpoints service) {
        TurnoutConfig cfg = loaded.config();
        List<Pipeline.Step> steps = new ArrayList<>();
        steps.add(PipelineParts.capture(CaptureSettings.from(cfg, registryUrl), service.meters()));
        if (cfg.mode() == Mode.REPLICATE) {
            steps.addAll(PipelineParts.transformAndApply(loaded, mappings, registryUrl, service.meters()));
        } else {
            // The application writes the target itself; the transform still computes what it should hold.
            steps.add(PipelineParts.transform(TransformSettings.from(cfg, registryUrl), mappings, service.meters()));
        }
        if (cfg.reconcile().continuous()) {
            steps.add(PipelineParts.reconcile(ReconcileSettings.from(loaded.config(), registryUrl), mappings,
                service.meters()));
        }
        if (cfg.dashboard().enabled()) {
            steps.add(PipelineParts.dashboard(cfg, registryUrl));
        }
        return steps;
    }
}
