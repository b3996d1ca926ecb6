package dev.turnout.app;

import java.io.PrintWriter;

import dev.turnout.app.cli.TurnoutCommand;

/** Entry point of the {@code turnout} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int code = TurnoutCommand.execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        System.exit(code);
    }
}
