package dev.turnout.app.cli;

import java.io.PrintWriter;

import dev.turnout.cutover.TopicCopier;

/** A one-line progress bar on the error stream, redrawn in place; the last update ends the line. */
final class ProgressBar implements TopicCopier.Progress {

    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final String what;

    ProgressBar(PrintWriter err, String what) {
        this.err = err;
        this.what = what;
    }

    @Override
    public void copied(long done, long total) {
        long bound = Math.max(total, done);
        int filled = bound == 0 ? WIDTH : (int) (WIDTH * done / bound);
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        int percent = bound == 0 ? 100 : (int) (100 * done / bound);
        boolean finished = done == total;
        err.print("\r[" + bar + "] " + percent + "% " + done + "/" + bound + " " + what + (finished ? "\n" : ""));
        err.flush();
    }
}
