package dev.turnout.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.turnout.cutover.ClusterConnection;
import dev.turnout.cutover.GroupSnapshot;
import dev.turnout.cutover.OffsetSnapshots;
import dev.turnout.cutover.TurnoutHeaders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code turnout offsets snapshot --cluster A --group G [--out FILE]}: records the group's committed offsets with their
 * evidence in {@code turnout.offsets.snapshots} on A (and in FILE). It moves no offset and writes no application data.
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
    description = "Save a group's committed offsets, log bounds and last consumed records (in turnout.offsets.snapshots "
        + "on the cluster, and optionally a file).")
final class OffsetsSnapshotCommand implements Callable<Integer> {

    @Option(names = "--cluster", required = true, paramLabel = "CLUSTER",
        description = "The cluster: a name from the config's clusters, or host:port.")
    String cluster;

    @Option(names = "--group", required = true, paramLabel = "GROUP", description = "The consumer group.")
    String group;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the snapshot to this JSON file.")
    Path out;

    @Mixin
    ClusterOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        ClusterConnection connection = options.resolve(spec, "--cluster", cluster);
        try (OffsetSnapshots snapshots = new OffsetSnapshots(connection, options.timeout())) {
            GroupSnapshot snapshot = snapshots.take(group);
            snapshots.store(snapshot);
            if (out != null) {
                OffsetSnapshots.writeFile(snapshot, out);
            }
            print(stdout, snapshot);
            stdout.println("Snapshot " + snapshot.id() + " stored in " + TurnoutHeaders.SNAPSHOTS_TOPIC + " on " + connection
                + (out == null ? "" : " and in " + out) + ".");
            return ExitCode.OK;
        }
    }

    static void print(PrintWriter out, GroupSnapshot snapshot) {
        if (!snapshot.hasCommits()) {
            out.println("Group " + snapshot.group() + " has no committed offsets (state " + snapshot.groupState()
                + "); recorded as such.");
            return;
        }
        Table table = new Table("TOPIC", "PARTITION", "COMMITTED", "LOG START", "END", "LAG", "LAST CONSUMED");
        snapshot.partitions().forEach(p -> table.row(p.topic(), p.partition(), p.committedOffset(), p.logStartOffset(),
            p.logEndOffset(), p.lag(), p.lastConsumed() == null ? "-"
                : p.lastConsumed().offset() + " " + p.lastConsumed().fingerprint().substring(0, 12)));
        table.print(out);
    }
}
