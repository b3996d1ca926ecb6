package dev.turnout.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.turnout.cutover.OffsetApplier;
import dev.turnout.cutover.OffsetChange;
import dev.turnout.cutover.OffsetTranslator;
import dev.turnout.cutover.TranslationPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code turnout offsets apply --plan PLAN [--execute] [--allow-unresolved]}: commits the plan's offsets on its target
 * cluster. Refuses (exit 1, nothing changed) while the group has active members there, or when partitions are
 * UNRESOLVED unless {@code --allow-unresolved}.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = "Commit a plan's offsets for its group on the target cluster (the group must be inactive there).")
final class OffsetsApplyCommand implements Callable<Integer> {

    @Option(names = "--plan", required = true, paramLabel = "PLAN", description = "A plan written by 'offsets translate'.")
    Path planFile;

    @Option(names = "--allow-unresolved", description = "Apply the resolved partitions and leave UNRESOLVED ones as they are.")
    boolean allowUnresolved;

    @Mixin
    ClusterOptions options;

    @Mixin
    ExecuteOption execute;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        TranslationPlan plan = OffsetTranslator.readPlan(planFile);
        PrintWriter out = spec.commandLine().getOut();
        try (OffsetApplier applier = new OffsetApplier(
                options.resolveRecorded(plan.target().name(), plan.target().bootstrap()), options.timeout())) {
            OffsetApplier.Preview preview = applier.preview(plan, allowUnresolved);
            printChanges(out, preview.changes());
            if (preview.refusal().isPresent()) {
                spec.commandLine().getErr().println("turnout offsets apply: refusing: " + preview.refusal().get());
                return ExitCode.DIFFERENCES;
            }
            if (!execute.execute()) {
                out.println("Dry run: nothing was committed on " + preview.cluster() + "; add --execute.");
                return ExitCode.OK;
            }
            applier.apply(plan, allowUnresolved);
            out.println("Committed the offsets of group " + plan.group() + " on " + preview.cluster() + ".");
            return ExitCode.OK;
        }
    }

    static void printChanges(PrintWriter out, java.util.List<OffsetChange> changes) {
        Table table = new Table("TOPIC", "PARTITION", "CURRENT", "NEW", "LAG AFTER", "ACTION", "NOTE");
        changes.forEach(c -> table.row(c.topic(), c.partition(), c.current(), c.proposed(), c.lagAfter(), c.action(),
            c.note() == null ? "" : c.note()));
        table.print(out);
    }
}
