package dev.turnout.transform.stream;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WARN line per dead-lettered record, naming topic, partition, offset and reason, at most {@value #PER_MINUTE} a
 * minute; beyond that, one line a minute says how many were not logged (the dead-letter topic has them all).
 * Thread-safe. Public so that every stage that dead-letters (transform, reconcile) logs alike.
 */
public final class DeadLetterLog {

    static final int PER_MINUTE = 60;
    private static final Logger log = LoggerFactory.getLogger(DeadLetterLog.class);
    private static final long WINDOW = TimeUnit.MINUTES.toNanos(1);

    private final String deadLetterTopic;
    private long windowStart = System.nanoTime();
    private int logged;
    private long suppressed;

    public DeadLetterLog(String deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
    }

    /** Logs one dead-lettered record, or counts it when this minute's lines are spent. */
    public synchronized void deadLettered(String topic, int partition, long offset, String reason) {
        long now = System.nanoTime();
        if (now - windowStart >= WINDOW) {
            if (suppressed > 0) {
                log.warn("{} more record(s) were dead-lettered to {} in the last minute without a log line each",
                    suppressed, deadLetterTopic);
            }
            windowStart = now;
            logged = 0;
            suppressed = 0;
        }
        if (logged < PER_MINUTE) {
            logged++;
            log.warn("Dead-lettered {}-{}@{} to {}: {}", topic, partition, offset, deadLetterTopic, reason);
        } else {
            suppressed++;
        }
    }
}
