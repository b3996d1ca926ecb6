package dev.turnout.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

import dev.turnout.cutover.Cutover;
import dev.turnout.cutover.TranslationOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code turnout cutover --from A --to B --group G [--wait-empty DURATION] [--execute]}: waits for the group to be
 * empty on A, snapshots, translates, checks nothing would be lost or redelivered, commits on B, verifies, and stores the
 * certificate on B and in a file. Rollback is the same command with {@code --from} and {@code --to} swapped.
 */
@Command(name = "cutover", mixinStandardHelpOptions = true,
    description = "Move a consumer group to another cluster exactly (or back, to roll back), with a certificate.")
final class CutoverCommand implements Callable<Integer> {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @Mixin
    FromToOptions clusters;

    @Mixin
    ClusterOptions options;

    @Mixin
    ExecuteOption execute;

    @Option(names = "--group", required = true, paramLabel = "GROUP", description = "The consumer group.")
    String group;

    @Option(names = "--wait-empty", paramLabel = "DURATION", defaultValue = "0s", converter = DurationConverter.class,
        description = "How long to wait for the group's consumers on the source to stop (default: ${DEFAULT-VALUE}).")
    Duration waitEmpty;

    @Option(names = "--settle", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
        description = "How long records may take to reach the target (a dual publisher's journal draining) before "
            + "missing ones count as lost (default: ${DEFAULT-VALUE}).")
    Duration settle;

    @Option(names = "--certificate", paramLabel = "FILE",
        description = "Where to write the certificate (default with --execute: cutover-<group>-<time>.json).")
    Path certificate;

    @Option(names = "--allow-unresolved", description = "Cut over the partitions that translate; leave UNRESOLVED ones.")
    boolean allowUnresolved;

    @Option(names = "--no-full-check", negatable = false,
        description = "Skip comparing every unconsumed record before committing (faster for huge lags; not recommended).")
    boolean noFullCheck;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path file = certificate != null ? certificate
            : execute.execute() ? Path.of("cutover-" + group + "-" + STAMP.format(Instant.now()) + ".json") : null;
        Cutover.Options o = new Cutover.Options(group, waitEmpty, execute.execute(), allowUnresolved, !noFullCheck, settle,
            file, TranslationOptions.DEFAULTS.withTimeout(options.timeout()));
        Cutover.Result result = Cutover.run(options.resolve(spec, "--from", clusters.from),
            options.resolve(spec, "--to", clusters.to), o, line -> {
                err.println(line);
                err.flush();
            });
        if (result.plan() != null) {
            OffsetsTranslateCommand.printPlan(out, result.plan());
        }
        if (result.precheck() != null && (result.precheck().lost() > 0 || result.precheck().redelivered() > 0)) {
            OffsetsVerifyCommand.print(out, result.precheck());
        }
        if (result.changes() != null) {
            OffsetsApplyCommand.printChanges(out, result.changes().changes());
        }
        switch (result.outcome()) {
            case DRY_RUN -> {
                out.println("Dry run: nothing was written; add --execute to cut over.");
                return ExitCode.OK;
            }
            case COMPLETED -> {
                out.println("Cut over group " + group + " and verified it. Consumers had to stay stopped for "
                    + seconds(result.consumersStopped()) + ". Certificate: " + result.certificateFile()
                    + " (and in turnout.offsets.snapshots on the target).");
                return ExitCode.OK;
            }
            case VERIFICATION_FAILED -> {
                OffsetsVerifyCommand.print(out, result.verification());
                err.println("turnout cutover: " + result.message());
                return ExitCode.DIFFERENCES;
            }
            default -> {
                err.println("turnout cutover: refused: " + result.message());
                return ExitCode.DIFFERENCES;
            }
        }
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
