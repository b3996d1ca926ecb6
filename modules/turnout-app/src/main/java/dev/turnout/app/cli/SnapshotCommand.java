package dev.turnout.app.cli;

import java.util.concurrent.Callable;

import dev.turnout.capture.CaptureSettings;
import dev.turnout.capture.SnapshotSignals;
import dev.turnout.core.config.TableId;
import dev.turnout.core.config.TurnoutConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code turnout snapshot -c FILE --table T}: asks the running capture for an incremental snapshot of one table. It runs
 * in chunks while streaming continues.
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
    description = "Request an incremental (chunked, non-blocking) snapshot of one table from the running capture.")
final class SnapshotCommand implements Callable<Integer> {

    @Mixin
    ConfigFileOption config;

    @Option(names = "--table", required = true, paramLabel = "SCHEMA.TABLE", description = "A captured table.")
    String table;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TurnoutConfig cfg = config.load().config();
        TableId id;
        try {
            id = TableId.parse(table);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("--table: " + e.getMessage());
            return ExitCode.USAGE;
        }
        if (!cfg.source().tables().contains(id)) {
            spec.commandLine().getErr().println("--table: " + id + " is not in source.tables " + cfg.source().tables());
            return ExitCode.USAGE;
        }
        String signal = SnapshotSignals.requestIncrementalSnapshot(CaptureSettings.from(cfg, "http://unused"), id);
        spec.commandLine().getOut().println("Requested an incremental snapshot of " + id + " (signal " + signal
            + "); the running capture reads it in chunks while streaming continues.");
        return ExitCode.OK;
    }
}
