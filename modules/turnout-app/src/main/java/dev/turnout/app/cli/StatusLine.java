package dev.turnout.app.cli;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * A live one-line status: rewritten in place on a terminal, printed every {@link #PLAIN_INTERVAL} otherwise so that
 * logs collected from a pipe stay readable.
 */
final class StatusLine {

    static final Duration PLAIN_INTERVAL = Duration.ofSeconds(10);

    private final PrintWriter out;
    private final boolean terminal;
    private long lastPlain;
    private int lastLength;

    StatusLine(PrintWriter out) {
        this.out = out;
        this.terminal = System.console() != null;
    }

    void show(String line) {
        if (terminal) {
            String padded = line.length() < lastLength ? line + " ".repeat(lastLength - line.length()) : line;
            out.print("\r" + padded);
            lastLength = line.length();
            out.flush();
        } else if (System.nanoTime() - lastPlain >= PLAIN_INTERVAL.toNanos()) {
            out.println(line);
            out.flush();
            lastPlain = System.nanoTime();
        }
    }

    void finish() {
        if (terminal && lastLength > 0) {
            out.println();
            out.flush();
        }
    }
}
