package dev.turnout.app.cli;

import java.util.concurrent.Callable;

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
        return PipelineVerb.run("turnout-apply", config.load(), spec, (loaded, mappings, registryUrl, service) ->
            PipelineParts.transformAndApply(loaded, mappings, registryUrl, service.meters()));
    }
}
