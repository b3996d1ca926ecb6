package dev.turnout.app.dashboard;

/** The dashboard could not listen on its address; the message names it and what to change. */
public final class DashboardBindException extends RuntimeException {

    DashboardBindException(String message, Throwable cause) {
        super(message, cause);
    }
}
