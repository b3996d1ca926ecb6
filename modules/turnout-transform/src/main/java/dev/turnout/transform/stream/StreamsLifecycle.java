package dev.turnout.transform.stream;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.apache.kafka.streams.KafkaStreams;

/**
 * What Turnout's Kafka Streams applications (the transform, reconciliation) share about running one: waiting for it
 * to run, and saying in one line why a stream thread died. Stateless.
 */
public final class StreamsLifecycle {

    private static final Duration POLL = Duration.ofMillis(50);

    private StreamsLifecycle() {
    }

    /**
     * Waits until {@code streams} is RUNNING (partitions assigned, state restored); false on timeout, or as soon as
     * {@code failed} says it failed or it reached ERROR or NOT_RUNNING.
     */
    public static boolean awaitRunning(KafkaStreams streams, BooleanSupplier failed, Duration timeout)
        throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State state = streams.state();
            if (state == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (failed.getAsBoolean() || state == KafkaStreams.State.ERROR
                || state == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            Thread.sleep(POLL.toMillis());
        }
        return false;
    }

    /**
     * Why a stream thread died, in one line: the message of the first {@code ownMessage} in the cause chain (an
     * exception whose message was written for operators), or else the innermost message that says something, as
     * Streams' wrappers only add task and processor names.
     */
    public static String explain(Throwable error, Class<? extends Throwable> ownMessage) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (ownMessage.isInstance(t)) {
                return t.getMessage();
            }
        }
        Throwable innermost = error;
        while (innermost.getCause() != null && innermost.getCause().getMessage() != null) {
            innermost = innermost.getCause();
        }
        return ChangeEventDecoder.oneLine(innermost.getClass().getSimpleName() + ": " + innermost.getMessage());
    }
}
