package dev.turnout.reconcile.verify;

/** Verify could not compare: bad input ({@link Kind#INVALID_INPUT}) or a failure on the way ({@link Kind#FAILED}). */
public final class VerifyException extends RuntimeException {

    /** Which exit code the failure deserves. */
    public enum Kind {
        /** A table that is not part of the pipeline, a target table that cannot be compared: exit 2. */
        INVALID_INPUT,
        /** A database or cluster that cannot be used, a pipeline that does not catch up in time: exit 3. */
        FAILED
    }

    private final Kind kind;

    public VerifyException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
