package dev.turnout.rollout;

import java.time.Instant;
import java.util.Objects;

/**
 * Who changed a rollout last, when, why, and what the share was before.
 *
 * @param action what was done
 * @param by     the operator's user name, or {@value #GUARD} for the guard's automatic actions
 * @param at     when
 * @param reason why, as given
 * @param from   the share before the change
 */
public record RolloutChange(Action action, String by, Instant at, String reason, BasisPoints from) {

    /** The name automatic actions are recorded under. */
    public static final String GUARD = "turnout-guard";

    /** What an operator or the guard did. */
    public enum Action {
        /** An operator set the percentage or the allow/deny lists. */
        SET,
        /** An operator advanced to the next step of the ladder, with the gates passing. */
        ADVANCE,
        /** Back to 0 %, by an operator or by the guard. */
        ROLLBACK,
        /** The guard held the rollout because a gate kept failing. */
        HOLD,
        /** The guard released a hold because the gates pass again. */
        RELEASE
    }

    public RolloutChange {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(from, "from");
    }
}
