package dev.turnout.app.cli;

import java.io.PrintWriter;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.app.logging.LogFormat;

/**
 * A live one-line status: rewritten in place on a terminal, printed every {@link #PLAIN_INTERVAL} otherwise so that
 * logs collected from a pipe stay readable. With JSON logs it is an INFO event at that interval instead, so that every
 * line on stderr is a JSON object.
 */
final class StatusLine {

    static final Duration PLAIN_INTERVAL = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(StatusLine.class);

    private final PrintWriter out;
    private final boolean terminal;
    private final boolean json;
    private long lastPlain;
    private int lastLength;

    StatusLine(PrintWriter out) {
        this.out = out;
        this.json = LogFormat.current() == LogFormat.JSON;
        this.terminal = !json && System.console() != null;
    }

    void show(String line) {
        if (terminal) {
            String padded = line.length() < lastLength ? line + " ".repeat(lastLength - line.length()) : line;
            out.print("\r" + padded);
            lastLength = line.length();
            out.flush();
        } else if (System.nanoTime() - lastPlain >= PLAIN_INTERVAL.toNanos()) {
            if (json) {
                log.info(line);
            } else {
                out.println(line);
                out.flush();
            }
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
