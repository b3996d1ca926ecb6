package dev.turnout.rollout;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.rollout.internal.DiffPublisher;
import dev.turnout.rollout.internal.KafkaSession;
import dev.turnout.schemas.rollout.ShadowDiff;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

/**
 * The parallel run: every read goes to both systems, the caller gets the answer of the system the router picks for the
 * key (OLD, or NEW once the key has moved), and the other system's answer is compared with it in the background.
 *
 * <pre>{@code
 * ShadowRunner<Order> shadow = ShadowRunner.<Order>builder(router, "orders-read", settings, "shop")
 *     .comparator((a, b) -> a.total().compareTo(b.total()) == 0 && a.lines().equals(b.lines()))
 *     .timeout(Duration.ofMillis(300))
 *     .build();
 * Order order = shadow.read(orderId, () -> oldDb.order(orderId), () -> newDb.order(orderId));
 * }</pre>
 *
 * <p>The caller's thread runs only the primary read: the shadow read runs on the runner's own bounded pool, so it can
 * neither fail the caller nor slow it. It is abandoned (its thread interrupted) when it has not answered within the
 * timeout, counted in {@value RolloutMetrics#SHADOW_TIMEOUTS}; when the pool and its queue are full the shadow read is
 * skipped ({@value RolloutMetrics#SHADOW_SKIPPED}). An exception of the primary read reaches the caller unchanged.
 * Answers that differ by the comparator are published to {@code turnout.<pipeline>.shadow-diffs} with the key and both
 * answers as text ({@value RolloutMetrics#SHADOW_DIFFS}); so is a shadow read that throws while the primary answered
 * ({@value RolloutMetrics#SHADOW_ERRORS}). Every comparison counts in {@value RolloutMetrics#SHADOW_COMPARED}.
 *
 * <p>Thread-safe. {@link #close()} stops the pool (interrupting shadow reads in flight) and closes the publisher.
 *
 * @param <R> the read's result type
 */
public final class ShadowRunner<R> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ShadowRunner.class);
    private static final int MAX_TEXT = 4096;
    /** How long a finished shadow read waits for the primary's answer to compare with before giving up. */
    private static final Duration PRIMARY_WAIT = Duration.ofMinutes(1);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final RolloutRouter router;
    private final String rollout;
    private final ShadowComparator<R> comparator;
    private final Function<R, String> renderer;
    private final Duration timeout;
    private final KafkaSession session;
    private final DiffPublisher publisher;
    private final ThreadPoolExecutor pool;
    private final ScheduledThreadPoolExecutor timer;
    private final Clock clock = Clock.systemUTC();
    private final MeterRegistry meters;
    private final Counter compared;
    private final Counter diffs;
    private final Counter timeouts;
    private final Counter errors;
    private final Counter skipped;

    private ShadowRunner(Builder<R> b) {
        this.router = b.router;
        this.rollout = b.rollout;
        this.comparator = b.comparator;
        this.renderer = b.renderer;
        this.timeout = b.timeout;
        this.meters = b.meters;
        this.session = new KafkaSession(b.settings, "shadow");
        this.publisher = new DiffPublisher(session, b.pipeline);
        int instance = INSTANCES.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(b.threads, b.threads, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(b.queueCapacity), r -> {
                Thread t = new Thread(r, "turnout-shadow-" + rollout + "-" + instance + "-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.AbortPolicy());
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "turnout-shadow-timer-" + rollout + "-" + instance);
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.compared = counter(RolloutMetrics.SHADOW_COMPARED, "Shadow reads whose results were compared");
        this.diffs = counter(RolloutMetrics.SHADOW_DIFFS, "Shadow reads whose results differed");
        this.timeouts = counter(RolloutMetrics.SHADOW_TIMEOUTS, "Shadow reads abandoned at the timeout");
        this.errors = counter(RolloutMetrics.SHADOW_ERRORS, "Shadow reads that threw");
        this.skipped = counter(RolloutMetrics.SHADOW_SKIPPED, "Shadow reads not made or not compared");
    }

    /**
     * A runner for reads of {@code rollout}, publishing discrepancies to {@code pipeline}'s shadow-diffs topic through
     * {@code settings}.
     */
    public static <R> Builder<R> builder(RolloutRouter router, String rollout, RolloutSettings settings, String pipeline) {
        return new Builder<>(router, rollout, settings, pipeline);
    }

    /**
     * Reads {@code key} from the system the router picks, on the caller's thread, and from the other one in the
     * background; returns the picked system's answer, or throws its exception.
     */
    public R read(String key, Callable<R> oldRead, Callable<R> newRead) throws Exception {
        Objects.requireNonNull(key, "key");
        Route primary = router.route(rollout, key);
        Callable<R> primaryRead = primary == Route.NEW ? newRead : oldRead;
        Callable<R> shadowRead = primary == Route.NEW ? oldRead : newRead;
        CompletableFuture<R> primaryAnswer = new CompletableFuture<>();
        ShadowTask task = new ShadowTask(key, primary, shadowRead, primaryAnswer);
        try {
            pool.execute(task);
            task.deadline = timer.schedule(task::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException full) {
            skipped.increment();
        }
        R answer;
        try {
            answer = primaryRead.call();
        } catch (Exception | Error e) {
            primaryAnswer.completeExceptionally(e);
            throw e;
        }
        primaryAnswer.complete(answer);
        return answer;
    }

    /** One shadow read: runs on the pool; {@link #expire} runs on the timer. Exactly one of the two wins. */
    private final class ShadowTask implements Runnable {
        private static final int IN_FLIGHT = 0;
        private static final int ANSWERED = 1;
        private static final int TIMED_OUT = 2;

        private final String key;
        private final Route primary;
        private final Callable<R> shadowRead;
        private final CompletableFuture<R> primaryAnswer;
        private final AtomicInteger state = new AtomicInteger(IN_FLIGHT);
        private Thread runner;
        private volatile ScheduledFuture<?> deadline;

        ShadowTask(String key, Route primary, Callable<R> shadowRead, CompletableFuture<R> primaryAnswer) {
            this.key = key;
            this.primary = primary;
            this.shadowRead = shadowRead;
            this.primaryAnswer = primaryAnswer;
        }

        @Override
        public void run() {
            synchronized (this) {
                if (state.get() != IN_FLIGHT) {
                    return;
                }
                runner = Thread.currentThread();
            }
            R shadow = null;
            Exception failure = null;
            try {
                shadow = shadowRead.call();
            } catch (Exception e) {
                failure = e;
            }
            synchronized (this) {
                runner = null;
                if (!state.compareAndSet(IN_FLIGHT, ANSWERED)) {
                    // Timed out: the interrupt, if it came, was meant for this read only.
                    Thread.interrupted();
                    return;
                }
            }
            ScheduledFuture<?> d = deadline;
            if (d != null) {
                d.cancel(false);
            }
            compare(shadow, failure);
        }

        void expire() {
            synchronized (this) {
                if (state.compareAndSet(IN_FLIGHT, TIMED_OUT)) {
                    timeouts.increment();
                    if (runner != null) {
                        runner.interrupt();
                    }
                }
            }
        }

        private void compare(R shadow, Exception shadowFailure) {
            R answer;
            try {
                answer = primaryAnswer.get(PRIMARY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                skipped.increment();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            R oldResult = primary == Route.OLD ? answer : shadow;
            R newResult = primary == Route.NEW ? answer : shadow;
            if (shadowFailure != null) {
                errors.increment();
                String failed = "error: " + shadowFailure;
                publish("SHADOW_FAILED", primary == Route.OLD ? text(oldResult) : failed,
                    primary == Route.NEW ? text(newResult) : failed);
                return;
            }
            boolean same;
            try {
                same = comparator.same(oldResult, newResult);
            } catch (RuntimeException e) {
                errors.increment();
                log.warn("The shadow comparator of rollout {} threw: {}", rollout, e.toString());
                return;
            }
            compared.increment();
            if (!same) {
                diffs.increment();
                publish("MISMATCH", text(oldResult), text(newResult));
            }
        }

        private void publish(String kind, String oldText, String newText) {
            publisher.publish(ShadowDiff.newBuilder().setRollout(rollout).setKey(key).setKind(kind)
                .setPrimary(primary.name()).setOldResult(oldText).setNewResult(newText).setDetectedAt(clock.instant())
                .build());
        }
    }

    private String text(R result) {
        String t;
        try {
            t = renderer.apply(result);
        } catch (RuntimeException e) {
            t = "(cannot render: " + e + ")";
        }
        return t != null && t.length() > MAX_TEXT ? t.substring(0, MAX_TEXT) : t;
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).tag("rollout", rollout).description(description).register(meters);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.close();
        session.close();
    }

    /** Settings of a {@link ShadowRunner}. */
    public static final class Builder<R> {
        private final RolloutRouter router;
        private final String rollout;
        private final RolloutSettings settings;
        private final String pipeline;
        private ShadowComparator<R> comparator = ShadowComparator.equality();
        private Function<R, String> renderer = String::valueOf;
        private Duration timeout = Duration.ofMillis(500);
        private int threads = 4;
        private int queueCapacity = 1_000;
        private MeterRegistry meters = Metrics.globalRegistry;

        private Builder(RolloutRouter router, String rollout, RolloutSettings settings, String pipeline) {
            this.router = Objects.requireNonNull(router, "router");
            this.rollout = RolloutState.requireValidName(rollout);
            this.settings = Objects.requireNonNull(settings, "settings");
            this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        }

        /** How answers are compared; {@link Objects#equals} by default. */
        public Builder<R> comparator(ShadowComparator<R> comparator) {
            this.comparator = Objects.requireNonNull(comparator, "comparator");
            return this;
        }

        /** How an answer is written in the diffs topic; {@link String#valueOf} by default. Keep secrets out of it. */
        public Builder<R> renderer(Function<R, String> renderer) {
            this.renderer = Objects.requireNonNull(renderer, "renderer");
            return this;
        }

        /** How long a shadow read may take before it is abandoned; 500 ms by default. */
        public Builder<R> timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Shadow reads in flight at once (4) and waiting beyond those (1,000) before reads are skipped. */
        public Builder<R> pool(int threads, int queueCapacity) {
            if (threads < 1 || queueCapacity < 1) {
                throw new IllegalArgumentException("threads and queue capacity must be at least 1");
            }
            this.threads = threads;
            this.queueCapacity = queueCapacity;
            return this;
        }

        /** Where the counters go; Micrometer's global registry by default. */
        public Builder<R> meterRegistry(MeterRegistry registry) {
            this.meters = Objects.requireNonNull(registry, "registry");
            return this;
        }

        public ShadowRunner<R> build() {
            return new ShadowRunner<>(this);
        }
    }
}
