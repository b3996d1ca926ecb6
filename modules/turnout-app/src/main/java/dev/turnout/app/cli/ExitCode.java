package dev.turnout.app.cli;

/** The exit codes of every {@code turnout} verb. */
public final class ExitCode {

    /** Success; for checks, no differences. */
    public static final int OK = 0;
    /** Differences found or a verification failed. */
    public static final int DIFFERENCES = 1;
    /** Bad command line or bad config. */
    public static final int USAGE = 2;
    /** A runtime failure: an unreachable service, a lost replication slot. */
    public static final int RUNTIME = 3;

    private ExitCode() {
    }
}
