package dev.turnout.app.cli;

import java.io.PrintWriter;
import java.net.ConnectException;
import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.app.dashboard.DashboardAccessException;
import dev.turnout.app.logging.LogFormat;
import dev.turnout.core.config.ConfigException;
import dev.turnout.cutover.CutoverException;
import dev.turnout.reconcile.compare.TargetSchemaException;
import dev.turnout.reconcile.verify.VerifyException;
import dev.turnout.rollout.RolloutException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The one place where a failure becomes an exit code and a message. Config problems print one located line each and exit
 * {@link ExitCode#USAGE}; anything else prints one line naming the root cause and exits {@link ExitCode#RUNTIME}. The
 * stack trace goes to the debug log ({@code --verbose}), never to the operator's terminal alone. With JSON logs the
 * lines are ERROR events instead, so that every line on stderr is a JSON object.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = LogFormat.current() == LogFormat.JSON ? new PrintWriter(new LogLineWriter(log), true) : cmd.getErr();
        if (e instanceof ConfigException config) {
            config.problems().forEach(p -> err.println(p));
            err.printf("%d problem%s in the config.%n", config.problems().size(), config.problems().size() == 1 ? "" : "s");
            return ExitCode.USAGE;
        }
        if (e instanceof CommandLine.ParameterException) {
            err.println(e.getMessage());
            return ExitCode.USAGE;
        }
        if (e instanceof DashboardAccessException access) {
            err.println("turnout " + cmd.getCommandName() + ": " + access.getMessage());
            return ExitCode.USAGE;
        }
        if (e instanceof CutoverException cutover) {
            // Its message already names the cluster (and bootstrap), topic or group, and what to do.
            log.debug("{} failed", cmd.getCommandName(), e);
            err.println("turnout " + cmd.getCommandName() + ": " + cutover.getMessage());
            return switch (cutover.kind()) {
                case INVALID_INPUT -> ExitCode.USAGE;
                case REFUSED -> ExitCode.DIFFERENCES;
                default -> ExitCode.RUNTIME;
            };
        }
        if (e instanceof VerifyException verify) {
            log.debug("{} failed", cmd.getCommandName(), e);
            err.println("turnout " + cmd.getCommandName() + ": " + verify.getMessage());
            return verify.kind() == VerifyException.Kind.INVALID_INPUT ? ExitCode.USAGE : ExitCode.RUNTIME;
        }
        if (e instanceof TargetSchemaException target) {
            // A target table that is missing or keyed otherwise than its mapping: the setup, not a passing failure.
            target.problems().forEach(p -> err.println("turnout " + cmd.getCommandName() + ": " + p));
            return ExitCode.USAGE;
        }
        if (e instanceof RolloutException rollout) {
            log.debug("{} failed", cmd.getCommandName(), e);
            err.println("turnout rollout " + cmd.getCommandName() + ": " + rollout.getMessage());
            return switch (rollout.kind()) {
                case INVALID_INPUT -> ExitCode.USAGE;
                case REFUSED -> ExitCode.DIFFERENCES;
                default -> ExitCode.RUNTIME;
            };
        }
        log.debug("{} failed", cmd.getCommandName(), e);
        err.println("turnout " + cmd.getCommandName() + ": " + describe(e));
        return ExitCode.RUNTIME;
    }

    static String describe(Throwable e) {
        // Turnout's own exceptions, and the state errors it raises, already say what and where in one line.
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().startsWith("dev.turnout.") && t.getMessage() != null) {
                return t.getMessage();
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String what = root instanceof ConnectException ? "connection refused"
            : root instanceof SQLException sql && sql.getSQLState() != null ? "SQL state " + sql.getSQLState()
            : root.getClass().getSimpleName();
        String message = root.getMessage() == null ? "" : ": " + root.getMessage();
        return what + message;
    }
}
