package dev.turnout.app.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) or SIGTERM for long-running verbs: a shutdown hook that asks the verb to stop and waits until the verb
 * has closed what it runs, so the JVM exits with nothing left behind. Also stops when the calling thread is interrupted.
 */
final class StopSignal implements AutoCloseable {

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    StopSignal(String name) {
        hook = new Thread(() -> {
            requested.countDown();
            try {
                finished.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name + "-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Waits up to {@code timeout}; true once a stop was requested. */
    boolean awaitRequest(Duration timeout) {
        try {
            return requested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            requested.countDown();
            return true;
        }
    }

    /** Marks the verb's resources closed, releasing a waiting shutdown hook. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException jvmStopping) {
            // The hook is running: the JVM exits once it returns.
        }
    }
}
