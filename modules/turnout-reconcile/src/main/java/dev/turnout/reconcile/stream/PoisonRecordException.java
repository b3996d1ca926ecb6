package dev.turnout.reconcile.stream;

/** A record that can never be read: it goes to the dead-letter topic and processing carries on. */
final class PoisonRecordException extends RuntimeException {

    PoisonRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
