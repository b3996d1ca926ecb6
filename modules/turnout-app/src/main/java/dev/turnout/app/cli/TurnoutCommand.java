package dev.turnout.app.cli;

import java.io.PrintWriter;

import dev.turnout.app.logging.LogFormat;
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
    subcommands = {ConfigCommand.class, RegistryCommand.class, RunCommand.class, CaptureCommand.class, ApplyCommand.class,
        ReconcileCommand.class, SlotCommand.class, SnapshotCommand.class, DemoCommand.class, DashboardCommand.class, TopicsCommand.class,
        OffsetsCommand.class, CutoverCommand.class, VerifyCommand.class, SchemaCommand.class, RolloutCommand.class},
    footer = {"", "Exit codes: 0 ok, 1 differences or failed verification, 2 usage or config error, 3 runtime failure."})
public final class TurnoutCommand implements Runnable {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
        description = "Log Turnout at DEBUG and Kafka, Debezium and the embedded components at INFO.")
    boolean verbose;

    @Option(names = "--log-format", scope = CommandLine.ScopeType.INHERIT, paramLabel = "text|json",
        defaultValue = "${env:" + LogFormat.ENV + ":-text}", converter = LogFormatConverter.class,
        description = "Operator logs on stderr as text lines or as JSON objects, one per line (Elastic Common Schema), "
            + "for log pipelines. Default: $" + LogFormat.ENV + ", else text.")
    LogFormat logFormat;

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
        // The format first: it reloads the logging configuration, which --verbose then adjusts.
        LogFormat format = parsed.commandSpec().findOption("--log-format").getValue();
        boolean verbose = false;
        for (ParseResult p = parsed; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
            if (p.hasMatchedOption("--log-format")) {
                format = p.matchedOption("--log-format").getValue();
            }
            verbose |= p.hasMatchedOption("--verbose");
        }
        format.apply();
        if (verbose) {
            LogLevels.verbose();
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    /** {@code text} or {@code json}, in any case; a bad value names the option and the environment variable. */
    static final class LogFormatConverter implements CommandLine.ITypeConverter<LogFormat> {
        @Override
        public LogFormat convert(String value) {
            try {
                return LogFormat.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage() + " (--log-format or " + LogFormat.ENV + ")");
            }
        }
    }
}
