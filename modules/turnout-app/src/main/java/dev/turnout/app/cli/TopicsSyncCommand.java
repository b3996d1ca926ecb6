package dev.turnout.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.turnout.cutover.TopicSync;
import dev.turnout.cutover.TopicSyncPlan;
import dev.turnout.cutover.TopicSyncPlan.Action;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code turnout topics sync --from A --to B [--topics REGEX] [--execute]}: creates the source's topics missing on the
 * target (same partitions, same retention/compaction/size/compression/timestamp configs) and reports differences.
 * Exits 1 when differences remain that sync does not fix; a partition-count mismatch also stops {@code --execute}.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = "Create the source's topics on the target with the same partitions and configs; report differences.")
final class TopicsSyncCommand implements Callable<Integer> {

    @Mixin
    FromToOptions clusters;

    @Mixin
    ClusterOptions options;

    @Mixin
    ExecuteOption execute;

    @Option(names = "--topics", paramLabel = "REGEX", defaultValue = ".*",
        description = "Source topics to sync (a regular expression matching whole names; default: all).")
    Pattern topics;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (TopicSync sync = new TopicSync(options.resolve(spec, "--from", clusters.from),
                options.resolve(spec, "--to", clusters.to), options.timeout())) {
            TopicSyncPlan plan = sync.plan(topics);
            Table table = new Table("TOPIC", "PARTITIONS", "ON TARGET", "ACTION", "DETAILS");
            for (TopicSyncPlan.TopicAction t : plan.topics()) {
                String details = t.action() == Action.CREATE
                    ? t.configs().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))
                    : t.differences().stream().map(d -> d.key() + ": " + d.source() + " on source, " + d.target()
                        + " on target").collect(Collectors.joining("; "));
                table.row(t.topic(), t.partitions(), t.targetPartitions(), t.action(), details.isEmpty() ? "" : details);
            }
            table.print(out);
            long creates = plan.topics().stream().filter(t -> t.action() == Action.CREATE).count();
            if (execute.execute()) {
                sync.execute(plan);
                out.println("Created " + creates + " topic(s) on " + plan.to() + ".");
            } else {
                out.println("Dry run: " + creates + " topic(s) would be created on " + plan.to() + "; add --execute.");
            }
            if (plan.hasPartitionMismatch()) {
                spec.commandLine().getErr().println("Partition counts differ for some topics: offsets cannot be "
                    + "translated there. Recreate them on the target with the source's partition count.");
            }
            return plan.hasDifferences() ? ExitCode.DIFFERENCES : ExitCode.OK;
        }
    }
}
