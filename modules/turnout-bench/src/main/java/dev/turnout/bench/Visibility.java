package dev.turnout.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Waits until a target's {@code public.users} has exactly the rows of the (quiet) source, by polling both fingerprints.
 * The moment returned is that of the first matching poll, so it is late by at most one poll interval plus one
 * fingerprint query (tens of milliseconds at 200k rows): the figures are slightly pessimistic, equally for Turnout and
 * native replication.
 */
final class Visibility {

    private static final Duration POLL = Duration.ofMillis(50);

    private Visibility() {
    }

    /**
     * Returns {@link System#nanoTime()} at the first poll where the target matches the source.
     *
     * @param whyNotRunning empty while the replication under test runs, else why it stopped (the wait then fails)
     * @throws IllegalStateException when the timeout passes or the replication stops first, with both fingerprints
     */
    static long awaitSame(Connection source, Connection target, Duration timeout, Supplier<String> whyNotRunning)
        throws SQLException {
        UsersTable.Fingerprint expected = UsersTable.fingerprint(source);
        long deadline = System.nanoTime() + timeout.toNanos();
        UsersTable.Fingerprint seen = null;
        while (true) {
            seen = UsersTable.fingerprint(target);
            long now = System.nanoTime();
            if (seen.equals(expected)) {
                return now;
            }
            String stopped = whyNotRunning.get();
            if (stopped != null) {
                throw new IllegalStateException("Replication stopped before the target caught up (" + stopped
                    + "); target " + seen + ", source " + expected);
            }
            if (now > deadline) {
                throw new IllegalStateException("The target did not reach the source's rows within " + timeout
                    + ": target " + seen + ", source " + expected);
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }
}
