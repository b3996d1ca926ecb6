package dev.turnout.transform.stream;

/**
 * The schema registry cannot decode a CDC record's schema: unreachable, failing, or without the schema id. Not poison:
 * every record would fail alike, so the transform stops with this message instead of dead-lettering the stream.
 */
final class RegistryUnavailableException extends RuntimeException {

    RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
