package dev.turnout.cutover;

import org.apache.kafka.common.KafkaException;

/**
 * A {@link DualPublisher} refused a record because its secondary journal is full: the secondary has not acknowledged
 * {@code capacity} records. The record was sent nowhere. Raise the capacity, restore the secondary, or switch to
 * {@link PublishMode#PRIMARY_ONLY}; never retried silently.
 */
public final class JournalFullException extends KafkaException {

    public JournalFullException(String message) {
        super(message);
    }
}
