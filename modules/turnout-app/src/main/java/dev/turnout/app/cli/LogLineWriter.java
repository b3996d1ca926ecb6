package dev.turnout.app.cli;

import java.io.Writer;

import org.slf4j.Logger;

/** A writer that turns each line written to it into one ERROR event of {@code log}. Not thread-safe. */
final class LogLineWriter extends Writer {

    private final Logger log;
    private final StringBuilder line = new StringBuilder();

    LogLineWriter(Logger log) {
        this.log = log;
    }

    @Override
    public void write(char[] chars, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            char c = chars[i];
            if (c == '\n') {
                emit();
            } else if (c != '\r') {
                line.append(c);
            }
        }
    }

    private void emit() {
        if (!line.isEmpty()) {
            log.error(line.toString());
            line.setLength(0);
        }
    }

    @Override
    public void flush() {
        // Lines are emitted when complete; a partial line waits for its end or close().
    }

    @Override
    public void close() {
        emit();
    }
}
