package dev.turnout.app.dashboard;

/**
 * The dashboard refuses to start as asked: bound where other hosts can reach it without a token, or with a blank one.
 * A usage error (exit 2); the message names the address and what to do.
 */
public final class DashboardAccessException extends RuntimeException {

    DashboardAccessException(String message) {
        super(message);
    }
}
