package dev.turnout.rollout;

/**
 * A rollout operation that could not be done, with a one-line message for operators naming what and where (rollout,
 * gate, topic, cluster). {@link #kind()} says which exit code the CLI uses.
 */
public class RolloutException extends RuntimeException {

    /** What went wrong, in the terms of Turnout's exit codes. */
    public enum Kind {
        /** Bad input: an unknown rollout, a bad percentage. Exit 2. */
        INVALID_INPUT,
        /** A gate or the ladder refused the operation. Exit 1. */
        REFUSED,
        /** Kafka or the schema registry could not be reached in time. Exit 3. */
        UNREACHABLE,
        /** Any other failure. Exit 3. */
        FAILED
    }

    private final Kind kind;

    public RolloutException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public RolloutException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
