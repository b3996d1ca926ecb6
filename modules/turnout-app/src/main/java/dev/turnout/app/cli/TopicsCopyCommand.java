package dev.turnout.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import dev.turnout.cutover.CopyPlan;
import dev.turnout.cutover.TopicCopier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code turnout topics copy --from A --to B --topics REGEX [--execute]}: copies the backlog (records from before dual
 * publishing began) to the same partitions, with a {@code turnout.src} header; resumable, with a progress bar.
 */
@Command(name = "copy", mixinStandardHelpOptions = true,
    description = "Copy the records already on the source (the backlog before dual publishing) to the target.")
final class TopicsCopyCommand implements Callable<Integer> {

    @Mixin
    FromToOptions clusters;

    @Mixin
    ClusterOptions options;

    @Mixin
    ExecuteOption execute;

    @Option(names = "--topics", required = true, paramLabel = "REGEX",
        description = "Source topics to copy (a regular expression matching whole names).")
    Pattern topics;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (TopicCopier copier = new TopicCopier(options.resolve(spec, "--from", clusters.from),
                options.resolve(spec, "--to", clusters.to), options.timeout())) {
            CopyPlan plan = copier.plan(topics);
            Table table = new Table("TOPIC", "PARTITION", "FROM", "UNTIL", "RECORDS", "NOTE");
            plan.partitions().forEach(p -> table.row(p.topic(), p.partition(), p.from(), p.until(),
                p.remaining() > 0 ? "up to " + p.remaining() : "0", p.note() == null ? "" : p.note()));
            table.print(out);
            if (!execute.execute()) {
                out.println("Dry run: up to " + plan.remaining() + " record(s) would be copied (the copy stops at the first "
                    + "record carrying turnout.id); add --execute.");
                return ExitCode.OK;
            }
            long copied = copier.execute(plan, new ProgressBar(spec.commandLine().getErr(), "records"));
            out.println("Copied " + copied + " record(s) from " + plan.from() + " to " + plan.to() + ".");
            return ExitCode.OK;
        }
    }
}
