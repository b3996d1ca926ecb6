package dev.turnout.rollout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.core.TopicNames;
import dev.turnout.rollout.internal.KafkaSession;
import dev.turnout.schemas.rollout.RolloutSignal;

/**
 * The metrics hook services report their own calls through, for the error-rate gate: count each call served under a
 * rollout as a success or an error, on the route it took.
 *
 * <pre>{@code
 * Route route = router.route("checkout", userId);
 * try {
 *     Cart cart = route == Route.NEW ? newCarts.load(userId) : oldCarts.load(userId);
 *     signals.recordSuccess("checkout", route);
 *     return cart;
 * } catch (RuntimeException e) {
 *     signals.recordError("checkout", route);
 *     throw e;
 * }
 * }</pre>
 *
 * <p>Recording only adds to in-memory counters (lock-free, no I/O). Every interval (5 s by default) a background thread
 * publishes, per rollout and route, the counts since the last publication to {@code turnout.rollout.signals} (key = the
 * rollout's name; Avro, {@code schemas/RolloutSignal.avsc}); counts that cannot be published are kept and sent with the
 * next. The topic is created on first use with one day's retention. {@link #close()} publishes what is left.
 */
public final class RolloutSignals implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RolloutSignals.class);
    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    private static final Map<String, String> TOPIC_CONFIGS = Map.of("retention.ms", String.valueOf(Duration.ofDays(1).toMillis()));

    private record Key(String rollout, Route route) {
    }

    private static final class Counts {
        final LongAdder successes = new LongAdder();
        final LongAdder errors = new LongAdder();
    }

    private final KafkaSession session;
    private final Map<Key, Counts> counts = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final String instance;
    private final Clock clock = Clock.systemUTC();
    private KafkaProducer<String, Object> producer;
    private boolean topicReady;
    private Instant intervalStart;
    private String lastProblem;

    private RolloutSignals(RolloutSettings settings, Duration interval) {
        this.session = new KafkaSession(settings, "signals");
        this.instance = System.getenv().getOrDefault("HOSTNAME", "localhost") + "/" + ProcessHandle.current().pid();
        this.intervalStart = clock.instant();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "turnout-rollout-signals");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::publishQuietly, interval.toMillis(), interval.toMillis(),
            TimeUnit.MILLISECONDS);
    }

    /** Publishes every 5 s. */
    public static RolloutSignals start(RolloutSettings settings) {
        return start(settings, DEFAULT_INTERVAL);
    }

    /** Publishes every {@code interval}. */
    public static RolloutSignals start(RolloutSettings settings, Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
        return new RolloutSignals(Objects.requireNonNull(settings, "settings"), interval);
    }

    /** Counts one call of {@code rollout} on {@code route} that succeeded. */
    public void recordSuccess(String rollout, Route route) {
        counts(rollout, route).successes.increment();
    }

    /** Counts one call of {@code rollout} on {@code route} that failed. */
    public void recordError(String rollout, Route route) {
        counts(rollout, route).errors.increment();
    }

    private Counts counts(String rollout, Route route) {
        return counts.computeIfAbsent(new Key(Objects.requireNonNull(rollout, "rollout"),
            Objects.requireNonNull(route, "route")), k -> new Counts());
    }

    /**
     * Publishes the counts gathered so far now and waits until the broker has them; throws {@link RolloutException}
     * when it cannot (the counts are kept for the next publication).
     */
    public synchronized void flush() {
        Instant end = clock.instant();
        if (!topicReady) {
            session.ensureTopic(TopicNames.rolloutSignals(), TOPIC_CONFIGS);
            topicReady = true;
        }
        if (producer == null) {
            producer = session.producer("signals");
        }
        java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
        for (Map.Entry<Key, Counts> e : counts.entrySet()) {
            long successes = e.getValue().successes.sumThenReset();
            long errors = e.getValue().errors.sumThenReset();
            if (successes == 0 && errors == 0) {
                continue;
            }
            Key key = e.getKey();
            RolloutSignal signal = RolloutSignal.newBuilder().setRollout(key.rollout()).setRoute(key.route().name())
                .setInstance(instance).setSuccesses(successes).setErrors(errors)
                .setIntervalStart(intervalStart).setIntervalEnd(end).build();
            Counts target = e.getValue();
            try {
                producer.send(new ProducerRecord<>(TopicNames.rolloutSignals(), null, end.toEpochMilli(), key.rollout(),
                    signal), (metadata, failure) -> {
                        if (failure != null) {
                            target.successes.add(successes);
                            target.errors.add(errors);
                            failed.compareAndSet(null, failure);
                        }
                    });
            } catch (RuntimeException failure) {
                target.successes.add(successes);
                target.errors.add(errors);
                throw session.failure("publish rollout signals to " + TopicNames.rolloutSignals(), failure);
            }
        }
        producer.flush();
        if (failed.get() != null) {
            throw session.failure("publish rollout signals to " + TopicNames.rolloutSignals(), failed.get());
        }
        intervalStart = end;
    }

    private void publishQuietly() {
        try {
            flush();
            if (lastProblem != null) {
                log.info("Publishing rollout signals to {} again", TopicNames.rolloutSignals());
                lastProblem = null;
            }
        } catch (RuntimeException e) {
            if (!Objects.equals(e.getMessage(), lastProblem)) {
                log.warn("Cannot publish rollout signals to {} on {} (counts kept for the next try): {}",
                    TopicNames.rolloutSignals(), session.settings().bootstrap(), e.getMessage());
                lastProblem = e.getMessage();
            }
        }
    }

    /** Publishes what is left (best effort) and closes the clients. */
    @Override
    public void close() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(session.settings().requestTimeout().toSeconds() + 5, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
        publishQuietly();
        synchronized (this) {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
        }
        session.close();
    }
}
