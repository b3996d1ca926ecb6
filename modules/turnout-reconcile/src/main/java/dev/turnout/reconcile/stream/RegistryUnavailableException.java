package dev.turnout.reconcile.stream;

/**
 * The schema registry cannot be reached or does not know a record's schema id: every record would fail alike, so
 * reconciliation stops with the registry named instead of dead-lettering the stream.
 */
final class RegistryUnavailableException extends RuntimeException {

    RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
