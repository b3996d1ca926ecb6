package dev.turnout.transform.stream;

/**
 * The transform stopped by itself: Kafka Streams hit an error it does not survive (the schema registry unreachable,
 * the cluster refusing a write, a fenced producer). The message is one line naming the pipeline and the cause; the
 * cause is Kafka Streams' exception. Poison records never cause this: they are dead-lettered.
 */
public final class TransformFailedException extends RuntimeException {

    TransformFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
