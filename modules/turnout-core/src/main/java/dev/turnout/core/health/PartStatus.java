package dev.turnout.core.health;

import java.util.Objects;
import java.util.Optional;

/**
 * A part's state and, when it is not running, a one-line reason an operator can act on.
 *
 * <p>Health reports are served on the service port, which may be reachable from outside the host, so a reason never
 * carries row data: {@link #failed(Throwable)} keeps the message only of Turnout's own exceptions (whose messages name
 * tables, slots, topics and positions, never values) and otherwise gives the exception's type, pointing at the log.
 *
 * @param state  the state
 * @param detail why the part is not running, if it says
 */
public record PartStatus(PartState state, Optional<String> detail) {

    public PartStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detail, "detail");
    }

    public static PartStatus running() {
        return new PartStatus(PartState.RUNNING, Optional.empty());
    }

    public static PartStatus starting() {
        return new PartStatus(PartState.STARTING, Optional.empty());
    }

    public static PartStatus stopped() {
        return new PartStatus(PartState.STOPPED, Optional.empty());
    }

    /** Failed, with a reason safe to show outside the process (see the class comment). */
    public static PartStatus failed(Throwable cause) {
        return new PartStatus(PartState.FAILED, Optional.of(describe(cause)));
    }

    /** Failed, with a reason written by Turnout (must not contain row data). */
    public static PartStatus failed(String reason) {
        return new PartStatus(PartState.FAILED, Optional.of(reason));
    }

    public boolean isRunning() {
        return state == PartState.RUNNING;
    }

    private static String describe(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().startsWith("dev.turnout.") && t.getMessage() != null) {
                return t.getMessage();
            }
        }
        return cause.getClass().getName() + " (details in the log)";
    }
}
