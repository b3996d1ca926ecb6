package dev.turnout.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.turnout.cutover.ClusterConnection;
import dev.turnout.cutover.CutoverException;
import dev.turnout.cutover.GroupSnapshot;
import dev.turnout.cutover.OffsetReplayer;
import dev.turnout.cutover.OffsetSnapshots;
import dev.turnout.cutover.OffsetTranslator;
import dev.turnout.cutover.TranslationOptions;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code turnout offsets replay --cluster A --group G (--snapshot ID | --to-datetime T | --shift-by N | --file F)
 * [--execute]}: rewinds or advances an inactive group. A snapshot taken on the other cluster is translated first (the
 * other cluster is {@code --from}, or the one the snapshot names).
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Move an inactive group's offsets to a saved snapshot, a time, a shift, or offsets from a file.")
final class OffsetsReplayCommand implements Callable<Integer> {

    @Option(names = "--cluster", required = true, paramLabel = "CLUSTER",
        description = "The cluster whose offsets move: a name from the config's clusters, or host:port.")
    String cluster;

    @Option(names = "--group", required = true, paramLabel = "GROUP", description = "The consumer group.")
    String group;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--from", paramLabel = "CLUSTER",
        description = "Where a snapshot taken on another cluster came from (default: the cluster it names).")
    String from;

    @Option(names = "--allow-unresolved", description = "Move the partitions that translate; leave UNRESOLVED ones alone.")
    boolean allowUnresolved;

    @Mixin
    ClusterOptions options;

    @Mixin
    ExecuteOption execute;

    @Spec
    CommandSpec spec;

    /** Exactly one destination. */
    static final class Target {
        @Option(names = "--snapshot", paramLabel = "ID", description = "A stored snapshot id.")
        String snapshot;

        @Option(names = "--to-datetime", paramLabel = "T",
            description = "The first offset at or after this time: 2024-05-01T10:00:00Z, with an offset, or local time.")
        String dateTime;

        @Option(names = "--shift-by", paramLabel = "N", description = "Move each committed offset by N (negative rewinds).")
        Long shift;

        @Option(names = "--file", paramLabel = "FILE",
            description = "A snapshot file (JSON) or topic,partition,offset lines (CSV, as 'offsets export' prints).")
        Path file;
    }

    @Override
    public Integer call() {
        ClusterConnection connection = options.resolve(spec, "--cluster", cluster);
        PrintWriter out = spec.commandLine().getOut();
        try (OffsetReplayer replayer = new OffsetReplayer(connection, options.timeout())) {
            OffsetReplayer.Replay replay = replay(replayer, connection);
            out.println("Replay of group " + group + " on " + connection + " to " + replay.description() + ":");
            OffsetsApplyCommand.printChanges(out, replay.changes());
            if (replay.hasUnresolved() && !allowUnresolved) {
                spec.commandLine().getErr().println("turnout offsets replay: some partitions are UNRESOLVED; pass "
                    + "--allow-unresolved to move the others");
                return ExitCode.DIFFERENCES;
            }
            if (!execute.execute()) {
                out.println("Dry run: no offset was moved; add --execute.");
                return ExitCode.OK;
            }
            replayer.execute(replay, allowUnresolved);
            out.println("Moved the offsets of group " + group + ".");
            return ExitCode.OK;
        }
    }

    private OffsetReplayer.Replay replay(OffsetReplayer replayer, ClusterConnection connection) {
        if (target.shift != null) {
            return replayer.shiftBy(group, target.shift);
        }
        if (target.dateTime != null) {
            return replayer.toDateTime(group, parseTime(target.dateTime));
        }
        if (target.file != null && !OffsetReplayer.isJson(target.file)) {
            return replayer.toOffsets(group, OffsetReplayer.readCsv(target.file), "file " + target.file);
        }
        GroupSnapshot snapshot = target.file != null ? OffsetSnapshots.readFile(target.file) : findSnapshot(connection);
        if (snapshot.clusterId().equals(replayer.clusterId())) {
            return replayer.toSnapshot(group, snapshot);
        }
        ClusterConnection origin = from != null ? options.resolve(spec, "--from", from)
            : options.resolveRecorded(snapshot.clusterName(), snapshot.bootstrap());
        try (OffsetTranslator translator = new OffsetTranslator(origin, connection,
                TranslationOptions.DEFAULTS.withTimeout(options.timeout()))) {
            return replayer.toTranslated(group, translator.translate(snapshot));
        }
    }

    private GroupSnapshot findSnapshot(ClusterConnection connection) {
        try (OffsetSnapshots snapshots = new OffsetSnapshots(connection, options.timeout())) {
            Optional<GroupSnapshot> found = snapshots.find(target.snapshot);
            if (found.isPresent()) {
                return found.get();
            }
        }
        if (from != null) {
            ClusterConnection other = options.resolve(spec, "--from", from);
            try (OffsetSnapshots snapshots = new OffsetSnapshots(other, options.timeout())) {
                Optional<GroupSnapshot> found = snapshots.find(target.snapshot);
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        throw new CutoverException(CutoverException.Kind.INVALID_INPUT, "No snapshot " + target.snapshot
            + " in turnout.offsets.snapshots on " + connection
            + (from == null ? " (give --from to look on the other cluster)" : " or on " + from));
    }

    private Instant parseTime(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                try {
                    return LocalDateTime.parse(text).atZone(ZoneId.systemDefault()).toInstant();
                } catch (DateTimeParseException e3) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for --to-datetime: '" + text
                        + "' (expected ISO-8601, e.g. 2024-05-01T10:00:00Z)");
                }
            }
        }
    }
}
