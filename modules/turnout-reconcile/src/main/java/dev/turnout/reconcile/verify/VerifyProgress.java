package dev.turnout.reconcile.verify;

import dev.turnout.core.config.TableId;

/**
 * Hears how far {@code turnout verify} is, for a progress bar. Called from the verifying thread; implementations must be
 * quick.
 */
public interface VerifyProgress {

    /** Nothing is shown. */
    VerifyProgress NONE = new VerifyProgress() {
        @Override
        public void phase(String what) {
        }

        @Override
        public void rows(TableId table, long compared, long total) {
        }
    };

    /** A step that is not a count of rows: waiting for the pipeline, re-checking keys. One line, no newline. */
    void phase(String what);

    /** Rows of {@code table} compared so far, of about {@code total} (an estimate; may be exceeded). */
    void rows(TableId table, long compared, long total);
}
