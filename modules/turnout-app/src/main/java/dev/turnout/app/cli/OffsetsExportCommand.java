package dev.turnout.app.cli;

import java.util.concurrent.Callable;

import dev.turnout.cutover.OffsetReplayer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code turnout offsets export --cluster A --group G}: committed offsets as {@code topic,partition,offset} lines. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Print a group's committed offsets as CSV (topic,partition,offset), the form kafka-consumer-groups "
        + "--reset-offsets --from-file reads.")
final class OffsetsExportCommand implements Callable<Integer> {

    @Option(names = "--cluster", required = true, paramLabel = "CLUSTER",
        description = "The cluster: a name from the config's clusters, or host:port.")
    String cluster;

    @Option(names = "--group", required = true, paramLabel = "GROUP", description = "The consumer group.")
    String group;

    @Mixin
    ClusterOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (OffsetReplayer replayer = new OffsetReplayer(options.resolve(spec, "--cluster", cluster), options.timeout())) {
            spec.commandLine().getOut().print(replayer.exportCsv(group));
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
    }
}
