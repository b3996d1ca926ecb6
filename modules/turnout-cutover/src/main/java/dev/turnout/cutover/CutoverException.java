package dev.turnout.cutover;

/**
 * A cutover operation that could not be done, with a message for operators that names what and where (cluster, topic,
 * partition, group) and says what to do. {@link #kind()} tells the CLI which exit code to use.
 */
public class CutoverException extends RuntimeException {

    /** What went wrong, in the terms of Turnout's exit codes. */
    public enum Kind {
        /** Bad input: an unknown snapshot, an unreadable plan file, a bad option value. Exit 2. */
        INVALID_INPUT,
        /** A safety check refused the operation (active group, unresolved partitions, partition-count mismatch). Exit 1. */
        REFUSED,
        /** A cluster could not be reached or failed a request. Exit 3. */
        UNREACHABLE,
        /** Any other failure while running. Exit 3. */
        FAILED
    }

    private final Kind kind;

    public CutoverException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public CutoverException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
