package dev.turnout.rollout;

/**
 * One condition a rollout must meet to advance and to stay where it is. {@code turnout rollout advance} checks every
 * gate once and refuses when any fails; the {@link RolloutGuard} checks them continuously and holds or rolls back a
 * rollout whose gate fails for {@code rollout.failFor}.
 *
 * <p>Implementations read the pipeline's topics and must be safe to call from one thread at a time; they throw
 * {@link RolloutException} when the data they need cannot be read (which is neither a pass nor a failure).
 */
public interface Gate {

    /** The gate's name, as shown to operators and recorded in the state. */
    String name();

    /** Checks the gate now for {@code rollout}. */
    GateResult check(RolloutState rollout);
}
