package dev.turnout.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import dev.turnout.core.config.LoadedConfig;
import dev.turnout.reconcile.compare.Difference;
import dev.turnout.reconcile.verify.Verifier;
import dev.turnout.reconcile.verify.VerifyOptions;
import dev.turnout.reconcile.verify.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code turnout verify -c FILE [--table T] [--report FILE]}: compares the target with what the mappings make of the
 * source at one source position ({@link Verifier}), with a progress bar on stderr, a per-table summary and samples on
 * stdout, and the full report as JSON with {@code --report}. Exits 0 when equal, 1 on differences, 2 for bad input,
 * 3 when it cannot compare.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Compare source and target at one source position: row counts, missing and extra keys, row contents "
        + "(checksums in SQL for copied columns, the mapping applied in the JVM for computed ones).")
final class VerifyCommand implements Callable<Integer> {

    @Mixin
    ConfigFileOption config;

    @Option(names = "--table", paramLabel = "SCHEMA.TABLE",
        description = "Compare only this table (its source or target name).")
    String table;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the full report as JSON to FILE.")
    Path report;

    @Option(names = "--bisection-factor", paramLabel = "N",
        description = "Parts a differing key range is split into (default: reconcile.verify.bisectionFactor).")
    Integer factor;

    @Option(names = "--bisection-threshold", paramLabel = "ROWS",
        description = "Rows at or below which a differing range is compared row by row "
            + "(default: reconcile.verify.bisectionThreshold).")
    Integer threshold;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Longest wait for the pipeline to pass the compared position (default: reconcile.verify.timeout).")
    Duration timeout;

    @Option(names = "--settle", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "dual-write mode: wait before differing keys are compared again (default: reconcile.verify.settle).")
    Duration settle;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        LoadedConfig loaded = config.load();
        VerifyOptions options;
        try {
            options = options(loaded);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("turnout verify: " + e.getMessage());
            return ExitCode.USAGE;
        }
        VerifyProgressBar progress = new VerifyProgressBar(spec.commandLine().getErr());
        VerifyReport result;
        try {
            result = Verifier.run(loaded, options, progress);
        } finally {
            progress.finish();
        }
        print(result, spec.commandLine().getOut());
        if (report != null) {
            JsonReports.write(report, result);
            spec.commandLine().getOut().println("Report written to " + report + ".");
        }
        return result.equal() ? ExitCode.OK : ExitCode.DIFFERENCES;
    }

    private VerifyOptions options(LoadedConfig loaded) {
        VerifyOptions o = VerifyOptions.from(loaded.config());
        if (table != null) {
            o = o.withTable(table);
        }
        if (factor != null || threshold != null) {
            o = o.withBisection(factor != null ? factor : o.bisectionFactor(),
                threshold != null ? threshold : o.bisectionThreshold());
        }
        if (timeout != null) {
            o = o.withTimeout(timeout);
        }
        if (settle != null) {
            o = o.withSettle(settle);
        }
        return o;
    }

    private static void print(VerifyReport report, PrintWriter out) {
        Table table = new Table("TABLE", "METHOD", "SOURCE ROWS", "TARGET ROWS", "COMPARED", "MISSING", "EXTRA",
            "MISMATCHED", "UNMAPPABLE", "UNSETTLED", "ROWS/S");
        for (VerifyReport.Table t : report.tables()) {
            table.row(t.target(), t.method(), t.sourceRows(), t.targetRows(), t.rowsCompared(), t.missing(), t.extra(),
                t.mismatched(), t.unmappable(), t.unsettled(), Math.round(t.rowsPerSecond()));
        }
        table.print(out);
        for (VerifyReport.Table t : report.tables()) {
            t.missingSample().forEach(k -> out.println("missing    " + t.target() + " " + k));
            t.extraSample().forEach(k -> out.println("extra      " + t.target() + " " + k));
            for (VerifyReport.Mismatch m : t.mismatchSample()) {
                StringBuilder fields = new StringBuilder();
                for (Difference d : m.fields()) {
                    fields.append(fields.length() == 0 ? "" : "; ").append(d.field()).append(": expected ")
                        .append(d.expected()).append(", actual ").append(d.actual());
                }
                out.println("mismatch   " + t.target() + " " + m.key() + " " + fields);
            }
            t.unmappableSample().forEach(k -> out.println("unmappable " + t.source() + " " + k));
            t.unsettledSample().forEach(k -> out.println("unsettled  " + t.target() + " " + k));
        }
        report.notes().forEach(out::println);
        out.println(report.equal() ? "Equal at source position " + report.sourceLsn() + "."
            : "Differences found (compared from source position " + report.sourceLsn() + ").");
        out.flush();
    }
}
