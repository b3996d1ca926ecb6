package dev.turnout.app.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.core.health.Part;
import dev.turnout.core.health.PartHealth;
import dev.turnout.core.health.PartState;
import dev.turnout.core.health.PartStatus;
import dev.turnout.core.health.Parts;

/**
 * The parts one pipeline process runs (capture, transform, apply, ...), started in order and closed in reverse order.
 *
 * <p>{@link #start} first {@linkplain Parts#expect expects} every part, so {@code /health/ready} stays 503 until the
 * last one runs, then starts each and {@linkplain Parts#register registers} its health. If a part cannot start, the
 * parts already started are closed and the error is thrown. Adding a part to a verb is one more {@link Step}.
 *
 * <p>Not thread-safe: the verb's thread starts, watches and closes it; the parts themselves report from their own
 * threads.
 */
final class Pipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    /** Starts a part; what it returns reports its health and is closed with the pipeline. */
    @FunctionalInterface
    interface Starter {
        RunningPart start() throws Exception;
    }

    /**
     * A started part: its health, and what stops it ({@code close()} of the part itself, for capture, transform and
     * apply).
     */
    record RunningPart(PartHealth health, AutoCloseable stopper) {
        RunningPart {
            Objects.requireNonNull(health, "health");
            Objects.requireNonNull(stopper, "stopper");
        }
    }

    /** One part of the pipeline and how to start it. */
    record Step(Part part, Starter starter) {
        Step {
            Objects.requireNonNull(part, "part");
            Objects.requireNonNull(starter, "starter");
        }
    }

    /** A part that stopped by itself while the pipeline ran. */
    static final class PartStoppedException extends RuntimeException {
        PartStoppedException(Part part, PartStatus status) {
            super("the " + part.tag() + " part " + (status.state() == PartState.FAILED ? "failed" : "stopped")
                + status.detail().map(d -> ": " + d).orElse(" by itself (details in the log)"));
        }
    }

    private record Started(Part part, RunningPart running) {
    }

    private final Deque<Started> started = new ArrayDeque<>();

    private Pipeline() {
    }

    /**
     * Expects every step's part in {@code parts}, then starts the steps in order.
     *
     * @throws Exception the first step's error that could not start; the parts started before it are closed
     */
    static Pipeline start(Parts parts, List<Step> steps) throws Exception {
        steps.forEach(s -> parts.expect(s.part()));
        Pipeline pipeline = new Pipeline();
        for (Step step : steps) {
            try {
                RunningPart running = step.starter().start();
                pipeline.started.push(new Started(step.part(), running));
                parts.register(step.part(), running.health());
            } catch (Exception | Error e) {
                pipeline.close();
                throw e;
            }
        }
        return pipeline;
    }

    /** The first part that is no longer running (failed, or stopped by itself), if any. */
    Optional<PartStoppedException> stoppedPart() {
        for (var it = started.descendingIterator(); it.hasNext(); ) {
            Started s = it.next();
            PartStatus status = s.running().health().partStatus();
            if (status.state() == PartState.FAILED || status.state() == PartState.STOPPED) {
                return Optional.of(new PartStoppedException(s.part(), status));
            }
        }
        return Optional.empty();
    }

    /**
     * Runs until a stop is requested or a part stops by itself, calling {@code tick} about once a second.
     *
     * @throws PartStoppedException naming the part and its reason when one stopped by itself
     */
    void runUntilStopped(StopSignal stop, Runnable tick) {
        while (stoppedPart().isEmpty() && !stop.awaitRequest(java.time.Duration.ofSeconds(1))) {
            tick.run();
        }
        Optional<PartStoppedException> stopped = stoppedPart();
        if (stopped.isPresent()) {
            throw stopped.get();
        }
    }

    /** Closes the started parts, last started first; an error closing one is logged and the others still close. */
    @Override
    public void close() {
        while (!started.isEmpty()) {
            Started s = started.pop();
            try {
                s.running().stopper().close();
            } catch (Exception e) {
                log.warn("Closing the {} part failed: {}", s.part().tag(), e.toString());
            }
        }
    }
}
