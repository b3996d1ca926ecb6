package dev.turnout.rollout;

import java.util.Objects;

/**
 * Decides whether the old and the new system answered a read the same way. Called on a shadow thread, never the
 * caller's; must be thread-safe. A comparator that throws counts as a shadow error.
 *
 * @param <R> the read's result type
 */
@FunctionalInterface
public interface ShadowComparator<R> {

    /** Whether {@code oldResult} and {@code newResult} are the same answer. */
    boolean same(R oldResult, R newResult);

    /** {@link Objects#equals}. */
    static <R> ShadowComparator<R> equality() {
        return Objects::equals;
    }
}
