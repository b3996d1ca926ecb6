package dev.turnout.rollout;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.turnout.rollout.internal.KafkaSession;
import dev.turnout.rollout.internal.StateFollower;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

/**
 * Answers, for a rollout and a key (a user id, a tenant id...), whether the old or the new system serves it.
 *
 * <pre>{@code
 * RolloutRouter router = RolloutRouter.builder(RolloutSettings.of("kafka:9092", "http://registry:8081"))
 *     .meterRegistry(registry)
 *     .start();
 * if (router.route("checkout", userId) == Route.NEW) { ... }
 * }</pre>
 *
 * <p>A key goes to NEW when the rollout denies it not, and allows it or its {@linkplain Buckets bucket} is below the
 * rollout's share ({@link RolloutState#route}). The bucket depends only on the rollout's name and the key, so every
 * instance of every service agrees on every key, also after restarts, and raising the share only moves keys from OLD to
 * NEW.
 *
 * <p>Threads and state: {@link #start} returns at once; one background thread reads {@code turnout.rollout.state} from
 * the beginning and then follows it, so an operator's change reaches the router within a poll (well under a second).
 * Until the whole topic has been read once, and for a rollout the topic does not hold, {@link #route} answers the safe
 * default (OLD unless configured otherwise). If Kafka becomes unreachable, the last states read stay in force and the
 * router keeps retrying. {@link #route} is thread-safe, lock-free and does no I/O. {@link #close()} stops the thread and
 * closes the clients.
 */
public final class RolloutRouter implements AutoCloseable {

    private final Route safeDefault;
    private final KafkaSession session;
    private final StateFollower follower;
    private final MeterRegistry meters;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();
    private final java.util.Queue<Meter> registered = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private RolloutRouter(Builder builder) {
        this.safeDefault = builder.safeDefault;
        this.meters = builder.meters;
        this.session = new KafkaSession(builder.settings, "router");
        this.follower = new StateFollower(session, "router", this::gauge);
        registered.add(Gauge.builder(RolloutMetrics.ROUTER_READY, follower, f -> f.isReady() ? 1 : 0)
            .description("1 once the router has read the rollout state").strongReference(true).register(meters));
        follower.start();
    }

    public static Builder builder(RolloutSettings settings) {
        return new Builder(settings);
    }

    /**
     * OLD or NEW for {@code key} in {@code rollout}. The safe default until the state has been read, and for a rollout
     * that does not exist.
     */
    public Route route(String rollout, String key) {
        Objects.requireNonNull(key, "key");
        if (!follower.isReady()) {
            return safeDefault;
        }
        RolloutState state = follower.all().get(rollout);
        return state == null ? safeDefault : state.route(key);
    }

    /** Whether the router has read the rollout state (before that, every answer is the safe default). */
    public boolean isReady() {
        return follower.isReady();
    }

    /** Waits until the router has read the rollout state; false if {@code timeout} passed first. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return follower.awaitReady(timeout);
    }

    /** The state of {@code rollout} as this router last read it. */
    public Optional<RolloutState> state(String rollout) {
        return follower.get(rollout);
    }

    /** The answer given before the state is read and for unknown rollouts. */
    public Route safeDefault() {
        return safeDefault;
    }

    private void gauge(RolloutState state) {
        String name = state.name();
        if (gauged.add(name)) {
            registered.add(Gauge.builder(RolloutMetrics.PERCENT, follower, f -> f.get(name)
                    .map(s -> s.share().percent().doubleValue()).orElse(Double.NaN))
                .tag("rollout", name).description("Share of keys routed to NEW, in percent")
                .strongReference(true).register(meters));
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        follower.close();
        session.close();
        registered.forEach(meters::remove);
    }

    /** Settings of a router; {@link #start()} starts it. */
    public static final class Builder {
        private final RolloutSettings settings;
        private Route safeDefault = Route.OLD;
        private MeterRegistry meters = Metrics.globalRegistry;

        private Builder(RolloutSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /** What to answer before the state is read and for unknown rollouts; OLD by default. */
        public Builder safeDefault(Route route) {
            this.safeDefault = Objects.requireNonNull(route, "route");
            return this;
        }

        /** Where the router's gauges go; Micrometer's global registry by default. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meters = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Starts following the state; returns at once (answers are the safe default until the state is read). */
        public RolloutRouter start() {
            return new RolloutRouter(this);
        }
    }
}
