package dev.turnout.core.registry;

/**
 * A registry answered with an error, or could not be reached. Carries the HTTP status and the registry's
 * {@code error_code} (see {@link RegistryErrorCode}); both are 0 when no answer came.
 */
public final class SchemaRegistryException extends RuntimeException {

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(String message, int status, int errorCode) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.errorCode = 0;
    }

    /** The HTTP status, or 0 when the registry could not be reached. */
    public int status() {
        return status;
    }

    /** The registry's {@code error_code}, or 0 when none was given. */
    public int errorCode() {
        return errorCode;
    }
}
