package dev.turnout.app.http;

/** The service endpoints could not listen on the configured address; the message names it and what to change. */
public final class ServiceBindException extends RuntimeException {

    ServiceBindException(String message, Throwable cause) {
        super(message, cause);
    }
}
