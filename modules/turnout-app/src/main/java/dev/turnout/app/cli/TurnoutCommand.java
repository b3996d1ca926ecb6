package dev.turnout.app.cli;

import java.io.PrintWriter;

import dev.turnout.app.logging.LogLevels;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/** The root {@code turnout} command: global options and the verb tree. */
@Command(name = "turnout",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Change-data-capture and cutover: PostgreSQL to PostgreSQL, Redpanda to Kafka, with proof that nothing "
        + "was lost.",
    subcommands = {ConfigCommand.class, RegistryCommand.class, CaptureCommand.class, SlotCommand.class, SnapshotCommand.class,
        DemoCommand.class, TopicsCommand.class, OffsetsCommand.class, CutoverCommand.class, ReconcileCommand.class,
        VerifyCommand.class, SchemaCommand.class},
    footer = {"", "Exit codes: 0 ok, 1 differences or failed verification, 2 usage or config error, 3 runtime failure."})
public final class TurnoutCommand implements Runnable {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
        description = "Log Turnout at DEBUG and Kafka, Debezium and the embedded components at INFO.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line with the given streams and returns the exit code; used by {@code Main} and tests. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new TurnoutCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setExecutionStrategy(TurnoutCommand::runWithLogging);
        return cli.execute(args);
    }

    private static int runWithLogging(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
            if (p.hasMatchedOption("--verbose")) {
                LogLevels.verbose();
                break;
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }
}
