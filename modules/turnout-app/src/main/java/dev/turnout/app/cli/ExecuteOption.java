package dev.turnout.app.cli;

import picocli.CommandLine.Option;

/** {@code --execute}: without it, verbs that move offsets or write data only print what they would do. */
public final class ExecuteOption {

    @Option(names = "--execute", description = "Do it. Without this flag nothing is written: a dry run prints the plan.")
    boolean execute;

    public boolean execute() {
        return execute;
    }
}
