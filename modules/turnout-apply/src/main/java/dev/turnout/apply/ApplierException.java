package dev.turnout.apply;

/**
 * Why the applier could not start or stopped: an unreachable target database or Kafka cluster at start, a target table
 * that cannot take its apply records, a database error that is neither a bad value nor an outage. The message is one
 * line naming what and where, and what to do.
 */
public final class ApplierException extends RuntimeException {

    public ApplierException(String message, Throwable cause) {
        super(message, cause);
    }
}
