package dev.turnout.app.cli;

import java.io.PrintWriter;

import dev.turnout.core.config.TableId;
import dev.turnout.reconcile.verify.VerifyProgress;

/**
 * Verify's progress on the error stream: a bar of rows compared per table, and waits and re-checks as a line of their
 * own, redrawn in place; at most ten redraws a second.
 */
final class VerifyProgressBar implements VerifyProgress {

    private static final int WIDTH = 30;
    private final PrintWriter err;
    private long lastDraw;
    private int lastLength;

    VerifyProgressBar(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void phase(String what) {
        draw(what, true);
    }

    @Override
    public void rows(TableId table, long compared, long total) {
        long bound = Math.max(total, compared);
        int filled = bound == 0 ? WIDTH : (int) (WIDTH * compared / bound);
        int percent = bound == 0 ? 100 : (int) (100 * compared / bound);
        draw("[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + percent + "% " + compared + "/" + bound
            + " rows " + table, compared >= bound);
    }

    private void draw(String line, boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        String padded = line.length() < lastLength ? line + " ".repeat(lastLength - line.length()) : line;
        lastLength = line.length();
        err.print("\r" + padded);
        err.flush();
    }

    /** Ends the line, so that what follows starts on its own. */
    void finish() {
        if (lastLength > 0) {
            err.println();
            err.flush();
        }
    }
}
