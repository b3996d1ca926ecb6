package dev.turnout.transform.stream;

/**
 * A CDC record that can never be transformed, whatever is retried: it goes to the dead-letter topic and processing
 * carries on. Failures that a retry may cure (the registry unreachable) are never this exception.
 */
final class PoisonRecordException extends RuntimeException {

    private final PoisonKind kind;

    PoisonRecordException(PoisonKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    PoisonKind kind() {
        return kind;
    }

    /** The class named in the dead-letter headers: the underlying error's, when there is one. */
    String errorClass() {
        return (getCause() != null ? getCause() : this).getClass().getName();
    }
}
