package dev.turnout.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.turnout.cutover.ClusterConnection;
import dev.turnout.cutover.CutoverException;
import dev.turnout.cutover.GroupSnapshot;
import dev.turnout.cutover.OffsetSnapshots;
import dev.turnout.cutover.OffsetTranslator;
import dev.turnout.cutover.TranslationOptions;
import dev.turnout.cutover.TranslationPlan;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code turnout offsets translate --from A --to B --group G [--snapshot ID | --file F] --out PLAN}: the exact target
 * offsets with per-partition evidence, written to PLAN. Read-only on both clusters. Exits 1 when a partition is
 * UNRESOLVED or unconsumed records are missing on the target.
 */
@Command(name = "translate", mixinStandardHelpOptions = true,
    description = "Translate a group's committed offsets to the target cluster: exact, or UNRESOLVED with the reason.")
final class OffsetsTranslateCommand implements Callable<Integer> {

    @Mixin
    FromToOptions clusters;

    @Mixin
    ClusterOptions options;

    @Option(names = "--group", required = true, paramLabel = "GROUP", description = "The consumer group.")
    String group;

    @ArgGroup(exclusive = true)
    SnapshotSource snapshot;

    @Option(names = "--out", required = true, paramLabel = "PLAN", description = "Where to write the plan (JSON).")
    Path out;

    @Spec
    CommandSpec spec;

    /** Which snapshot to translate; the group's current offsets when neither is given. */
    static final class SnapshotSource {
        @Option(names = "--snapshot", paramLabel = "ID", description = "A snapshot stored on the source cluster.")
        String id;

        @Option(names = "--file", paramLabel = "FILE", description = "A snapshot file written by 'offsets snapshot --out'.")
        Path file;
    }

    @Override
    public Integer call() {
        ClusterConnection from = options.resolve(spec, "--from", clusters.from);
        ClusterConnection to = options.resolve(spec, "--to", clusters.to);
        TranslationPlan plan;
        try (OffsetTranslator translator = new OffsetTranslator(from, to,
                TranslationOptions.DEFAULTS.withTimeout(options.timeout()))) {
            GroupSnapshot source = snapshot(from);
            if (source != null && !source.group().equals(group)) {
                throw new CutoverException(CutoverException.Kind.INVALID_INPUT, "Snapshot " + source.id()
                    + " is of group " + source.group() + ", not " + group);
            }
            plan = source == null ? translator.translateCurrent(group) : translator.translate(source);
        }
        OffsetTranslator.writePlan(plan, out);
        PrintWriter stdout = spec.commandLine().getOut();
        printPlan(stdout, plan);
        stdout.println("Plan written to " + out + ".");
        boolean differences = plan.summary().unresolved() > 0 || plan.summary().unconsumedMissingOnTarget() > 0;
        return differences ? ExitCode.DIFFERENCES : ExitCode.OK;
    }

    private GroupSnapshot snapshot(ClusterConnection from) {
        if (snapshot == null) {
            return null;
        }
        if (snapshot.file != null) {
            return OffsetSnapshots.readFile(snapshot.file);
        }
        try (OffsetSnapshots snapshots = new OffsetSnapshots(from, options.timeout())) {
            return snapshots.find(snapshot.id).orElseThrow(() -> new CutoverException(CutoverException.Kind.INVALID_INPUT,
                "No snapshot " + snapshot.id + " in turnout.offsets.snapshots on " + from));
        }
    }

    static void printPlan(PrintWriter out, TranslationPlan plan) {
        if (!plan.sourceHasCommits()) {
            out.println("Group " + plan.group() + " has no committed offsets on " + plan.source().name()
                + "; on the target it will start where its auto.offset.reset says.");
        }
        Table table = new Table("TOPIC", "PARTITION", "SOURCE", "TARGET", "STATUS", "MATCHED BY", "ONLY SOURCE",
            "ONLY TARGET", "REASON");
        plan.partitions().forEach(p -> table.row(p.topic(), p.partition(), p.sourceOffset(), p.targetOffset(), p.status(),
            p.matchedBy(), p.onlySource().size(), p.onlyTarget().size(), p.status().isResolved() ? "" : p.reason()));
        if (!table.isEmpty()) {
            table.print(out);
        }
        plan.clearOnTarget().forEach(c -> out.println("The commit of " + c.topic() + "-" + c.partition()
            + " on the target will be deleted (none on the source)."));
        TranslationPlan.Summary s = plan.summary();
        out.println(s.partitions() + " partition(s): " + s.exact() + " exact, " + s.atStart() + " at start, " + s.atEnd()
            + " at end, " + s.unresolved() + " unresolved; records on one side only near the cut: " + s.onlySource()
            + " on the source (" + s.unconsumedMissingOnTarget() + " unconsumed, which the target would not deliver), "
            + s.onlyTarget() + " on the target.");
    }
}
