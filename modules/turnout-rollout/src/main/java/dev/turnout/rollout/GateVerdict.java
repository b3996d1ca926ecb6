package dev.turnout.rollout;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A gate result as the guard records it in the rollout's state: when it was checked, and since when it has been failing
 * without interruption (which is what {@code rollout.failFor} is measured against).
 *
 * @param result       the check
 * @param checkedAt    when it was checked
 * @param failingSince when the gate started failing; present exactly when the result is {@link GateStatus#FAIL}
 */
public record GateVerdict(GateResult result, Instant checkedAt, Optional<Instant> failingSince) {

    public GateVerdict {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(checkedAt, "checkedAt");
        Objects.requireNonNull(failingSince, "failingSince");
        if (result.failed() != failingSince.isPresent()) {
            throw new IllegalArgumentException("failingSince is present exactly when the gate fails: " + result);
        }
    }
}
