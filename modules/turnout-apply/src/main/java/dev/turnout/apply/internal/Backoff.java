package dev.turnout.apply.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Exponential backoff from 200 ms to 30 s between attempts; waits end early when the applier stops. Not thread-safe. */
public final class Backoff {

    private static final Duration FIRST = Duration.ofMillis(200);
    private static final Duration MAX = Duration.ofSeconds(30);

    private Duration next = FIRST;
    private int attempts;

    /** Waits before the next attempt; returns false, without waiting out the delay, if {@code stopping} turns true. */
    public boolean await(BooleanSupplier stopping) {
        long until = System.nanoTime() + next.toNanos();
        attempts++;
        next = next.multipliedBy(2).compareTo(MAX) > 0 ? MAX : next.multipliedBy(2);
        while (System.nanoTime() < until) {
            if (stopping.getAsBoolean()) {
                return false;
            }
            try {
                Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !stopping.getAsBoolean();
    }

    /** The delay the next {@link #await} waits. */
    public Duration nextDelay() {
        return next;
    }

    public int attempts() {
        return attempts;
    }
}
