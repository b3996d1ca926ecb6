package dev.turnout.rollout;

import java.util.Objects;

/**
 * One gate checked once.
 *
 * @param gate   the gate's name ({@code reconciliation}, {@code apply-lag}, {@code dead-letters}, {@code error-rate})
 * @param status its verdict
 * @param detail what was measured against which threshold, or why the gate does not apply, in one line
 */
public record GateResult(String gate, GateStatus status, String detail) {

    public GateResult {
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    public static GateResult pass(String gate, String detail) {
        return new GateResult(gate, GateStatus.PASS, detail);
    }

    public static GateResult fail(String gate, String detail) {
        return new GateResult(gate, GateStatus.FAIL, detail);
    }

    public static GateResult notApplicable(String gate, String detail) {
        return new GateResult(gate, GateStatus.NOT_APPLICABLE, detail);
    }

    public boolean failed() {
        return status == GateStatus.FAIL;
    }

    /** {@code gate: status (detail)}, for one-line messages. */
    @Override
    public String toString() {
        return gate + " " + status.display() + " (" + detail + ")";
    }
}
