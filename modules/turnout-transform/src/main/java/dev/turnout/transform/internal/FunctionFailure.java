package dev.turnout.transform.internal;

/**
 * A Turnout function rejected its arguments on this row. The message names the function and the reason, and never an
 * argument's value: it ends up in logs and dead-letter headers, and row data does not belong there.
 */
public final class FunctionFailure extends IllegalArgumentException {

    FunctionFailure(String function, String reason, Throwable cause) {
        super(function + "(): " + reason, cause);
    }
}
