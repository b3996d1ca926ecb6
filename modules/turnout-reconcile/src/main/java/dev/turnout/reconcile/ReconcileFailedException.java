package dev.turnout.reconcile;

/** Reconciliation stopped by itself; the message names the pipeline and the cause in one line. */
public final class ReconcileFailedException extends RuntimeException {

    public ReconcileFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
