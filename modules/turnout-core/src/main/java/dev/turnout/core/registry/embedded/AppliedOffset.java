package dev.turnout.core.registry.embedded;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How far into the registry topic the state has been applied: the offset of the next record the reader will apply.
 *
 * <p>Threads: the store reader publishes with {@link #advanceTo}; writers and catch-up reads block in {@link #await}
 * until the state includes a given offset. Waiting is on a condition, not a poll. When the reader stops, for good or on a
 * failure, waiters are released with an error at once rather than at their deadline.
 */
final class AppliedOffset {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long next;
    private String stoppedBecause;

    /** Publishes that every record before {@code nextOffset} is applied. */
    void advanceTo(long nextOffset) {
        lock.lock();
        try {
            if (nextOffset > next) {
                next = nextOffset;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Marks the reader as stopped; every current and future wait fails with {@code reason}. */
    void stop(String reason) {
        lock.lock();
        try {
            if (stoppedBecause == null) {
                stoppedBecause = reason;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The offset of the next record to apply. */
    long current() {
        lock.lock();
        try {
            return next;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks until every record before {@code nextOffset} is applied.
     *
     * @throws RegistryException (store error) on timeout, interruption or a stopped reader
     */
    void await(long nextOffset, Duration timeout) {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (next < nextOffset) {
                if (stoppedBecause != null) {
                    throw RegistryException.storeError("the registry topic reader has stopped: " + stoppedBecause, null);
                }
                if (remaining <= 0) {
                    throw RegistryException.storeError("the registry topic reader did not reach offset " + nextOffset
                        + " within " + timeout.toSeconds() + " s (it is at " + next + ")", null);
                }
                remaining = changed.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryException.storeError("interrupted while waiting for the registry topic reader", e);
        } finally {
            lock.unlock();
        }
    }
}
