package dev.turnout.rollout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.core.config.GateFailureAction;
import dev.turnout.core.config.TurnoutConfig.RolloutConfig;
import dev.turnout.rollout.internal.Amounts;
import dev.turnout.rollout.internal.KafkaSession;
import dev.turnout.rollout.internal.StateFollower;
import dev.turnout.rollout.internal.StateTopic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Checks the gates of a pipeline's rollouts continuously and acts when one keeps failing.
 *
 * <p>Every {@code rollout.checkInterval} it checks each gate of every rollout whose state names this pipeline. A gate
 * that has failed without interruption for {@code rollout.failFor} makes the guard, as {@code rollout.onGateFailure}
 * says, either <b>hold</b> the rollout (recorded in its state; it stays where it is and {@code advance} refuses while the
 * gate fails; the hold is released once every gate passes or does not apply) or <b>roll it back</b> to 0 % at once.
 * Both are written to {@code turnout.rollout.state} by {@value RolloutChange#GUARD} with the gate and its measurement as
 * the reason, and routers follow within a second. The verdicts are recorded in the state whenever a gate's status
 * changes, with the time it started failing, so a restarted guard keeps counting from then.
 *
 * <p>Threads: one scheduler thread checks and writes; one follows the state topic. A gate that cannot be read (Kafka
 * unreachable) is logged and neither counts as failing nor passing that round. Gauges
 * {@value RolloutMetrics#GATE_STATUS} (1 pass, 0 fail, -1 not applicable) and {@value RolloutMetrics#PERCENT}.
 * {@link #close()} stops both threads and closes the clients and the gates.
 */
public final class RolloutGuard implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RolloutGuard.class);

    private final String pipeline;
    private final RolloutConfig config;
    private final RolloutGates gates;
    private final KafkaSession session;
    private final StateTopic topic;
    private final StateFollower follower;
    private final MeterRegistry meters;
    private final ScheduledExecutorService scheduler;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Map<String, GateVerdict>> verdicts = new HashMap<>();
    private final Map<String, AtomicInteger> gateGauges = new ConcurrentHashMap<>();
    private final Map<String, Boolean> percentGauges = new ConcurrentHashMap<>();
    private final Queue<Meter> registered = new ConcurrentLinkedQueue<>();
    private final Map<String, String> lastProblem = new HashMap<>();

    private RolloutGuard(RolloutSettings settings, String pipeline, RolloutConfig config, RolloutGates gates,
                         MeterRegistry meters) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.config = Objects.requireNonNull(config, "config");
        this.gates = gates;
        this.meters = meters;
        this.session = new KafkaSession(settings, "guard");
        this.topic = new StateTopic(session);
        this.follower = new StateFollower(session, "guard", s -> percentGauge(s.name()));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "turnout-rollout-guard-" + pipeline);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts guarding {@code pipeline}'s rollouts with the standard gates; returns at once. */
    public static RolloutGuard start(RolloutSettings settings, String pipeline, RolloutConfig config,
                                     MeterRegistry meters) {
        return start(settings, pipeline, config, RolloutGates.standard(settings, pipeline, config.gates()), meters);
    }

    /** Starts guarding with the caller's gates, which the guard closes with itself. */
    public static RolloutGuard start(RolloutSettings settings, String pipeline, RolloutConfig config, RolloutGates gates,
                                     MeterRegistry meters) {
        RolloutGuard guard = new RolloutGuard(settings, pipeline, config, gates, meters);
        guard.follower.start();
        long interval = config.checkInterval().toMillis();
        guard.scheduler.scheduleWithFixedDelay(guard::round, 0, interval, TimeUnit.MILLISECONDS);
        log.info("Guarding the rollouts of pipeline {}: gates {} every {}, {} after {} of failure", pipeline,
            guard.gates.names(), Amounts.duration(config.checkInterval()), config.onGateFailure().value(),
            Amounts.duration(config.failFor()));
        return guard;
    }

    /** The names of the gates it checks, in order. */
    public List<String> gateNames() {
        return gates.names();
    }

    private void round() {
        if (!follower.isReady()) {
            return;
        }
        for (RolloutState state : follower.all().values()) {
            if (!state.pipeline().equals(Optional.of(pipeline))) {
                continue;
            }
            try {
                guard(state);
                lastProblem.remove(state.name());
            } catch (RolloutException e) {
                if (!e.getMessage().equals(lastProblem.put(state.name(), e.getMessage()))) {
                    log.warn("Cannot guard rollout {} this round: {}", state.name(), e.getMessage());
                }
            } catch (RuntimeException e) {
                log.error("Guarding rollout {} failed: {}", state.name(), e.toString(), e);
            }
        }
    }

    private void guard(RolloutState state) {
        Instant now = clock.instant();
        Map<String, GateVerdict> previous = verdicts.computeIfAbsent(state.name(), n -> byGate(state.gates()));
        List<GateVerdict> next = gates.check(state).stream().map(r -> {
            Optional<Instant> since = Optional.empty();
            if (r.failed()) {
                GateVerdict before = previous.get(r.gate());
                since = Optional.of(before != null && before.failingSince().isPresent() ? before.failingSince().get() : now);
            }
            return new GateVerdict(r, now, since);
        }).toList();
        verdicts.put(state.name(), byGate(next));
        next.forEach(v -> gateGauge(state.name(), v.result()));

        Optional<GateVerdict> expired = next.stream()
            .filter(v -> v.failingSince().map(s -> !now.isBefore(s.plus(config.failFor()))).orElse(false))
            .findFirst();
        boolean anyFailing = next.stream().anyMatch(v -> v.result().failed());
        boolean rollback = config.onGateFailure() == GateFailureAction.ROLLBACK;
        // The follower's view may lag behind the guard's own last write: decide on it, then confirm on a fresh read.
        if (expired.isPresent() && rollback && state.share().value() > 0) {
            RolloutState fresh = fresh(state);
            if (fresh.share().value() > 0) {
                String reason = reason(expired.get(), now);
                write(fresh.withShare(BasisPoints.NONE).withGates(next)
                    .withChange(new RolloutChange(RolloutChange.Action.ROLLBACK, RolloutChange.GUARD, now, reason,
                        fresh.share())));
                action(state.name(), "rollback");
                log.warn("Rolled back rollout {} from {} to 0%: {}", state.name(), fresh.share(), reason);
                return;
            }
        } else if (expired.isPresent() && !rollback && state.hold().isEmpty()) {
            RolloutState fresh = fresh(state);
            if (fresh.hold().isEmpty()) {
                String reason = reason(expired.get(), now);
                write(fresh.withHold(Optional.of(reason)).withGates(next)
                    .withChange(new RolloutChange(RolloutChange.Action.HOLD, RolloutChange.GUARD, now, reason,
                        fresh.share())));
                action(state.name(), "hold");
                log.warn("Holding rollout {} at {}: {}", state.name(), fresh.share(), reason);
                return;
            }
        } else if (!anyFailing && state.hold().isPresent()) {
            RolloutState fresh = fresh(state);
            if (fresh.hold().isPresent()) {
                write(fresh.withHold(Optional.empty()).withGates(next)
                    .withChange(new RolloutChange(RolloutChange.Action.RELEASE, RolloutChange.GUARD, now,
                        "every gate passes or does not apply again", fresh.share())));
                log.info("Released the hold on rollout {}: every gate passes or does not apply again", state.name());
                return;
            }
        }
        if (!sameStatuses(state.gates(), next)) {
            RolloutState fresh = fresh(state);
            if (!sameStatuses(fresh.gates(), next)) {
                write(fresh.withGates(next));
            }
        }
    }

    private String reason(GateVerdict verdict, Instant now) {
        return "gate " + verdict.result().gate() + " has failed for "
            + Amounts.duration(Duration.between(verdict.failingSince().orElseThrow(), now)) + " (failFor "
            + Amounts.duration(config.failFor()) + "): " + verdict.result().detail();
    }

    /** The rollout as the topic holds it now, so a guard write never undoes an operator's change it has not seen. */
    private RolloutState fresh(RolloutState state) {
        return topic.read(state.name()).orElse(state);
    }

    private void write(RolloutState state) {
        topic.write(state);
    }

    private static boolean sameStatuses(List<GateVerdict> a, List<GateVerdict> b) {
        return statuses(a).equals(statuses(b));
    }

    private static Map<String, GateStatus> statuses(List<GateVerdict> verdicts) {
        Map<String, GateStatus> out = new HashMap<>();
        verdicts.forEach(v -> out.put(v.result().gate(), v.result().status()));
        return out;
    }

    private static Map<String, GateVerdict> byGate(List<GateVerdict> verdicts) {
        Map<String, GateVerdict> out = new HashMap<>();
        verdicts.forEach(v -> out.put(v.result().gate(), v));
        return out;
    }

    private void gateGauge(String rollout, GateResult result) {
        int value = switch (result.status()) {
            case PASS -> 1;
            case FAIL -> 0;
            case NOT_APPLICABLE -> -1;
        };
        gateGauges.computeIfAbsent(rollout + "\u0000" + result.gate(), k -> {
            AtomicInteger holder = new AtomicInteger(value);
            registered.add(Gauge.builder(RolloutMetrics.GATE_STATUS, holder, AtomicInteger::get)
                .tag("rollout", rollout).tag("gate", result.gate())
                .description("1 pass, 0 fail, -1 not applicable").strongReference(true).register(meters));
            return holder;
        }).set(value);
    }

    private void percentGauge(String rollout) {
        if (percentGauges.putIfAbsent(rollout, Boolean.TRUE) == null) {
            registered.add(Gauge.builder(RolloutMetrics.PERCENT, follower, f -> f.get(rollout)
                    .map(s -> s.share().percent().doubleValue()).orElse(Double.NaN))
                .tag("rollout", rollout).description("Share of keys routed to NEW, in percent")
                .strongReference(true).register(meters));
        }
    }

    private void action(String rollout, String action) {
        Counter counter = Counter.builder(RolloutMetrics.GUARD_ACTIONS).tag("rollout", rollout).tag("action", action)
            .description("Automatic holds and rollbacks").register(meters);
        registered.add(counter);
        counter.increment();
    }

    @Override
    public void close() {
        // A round in progress finishes (each request is bounded); interrupting it would leave Kafka clients half-closed.
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(session.settings().requestTimeout().toSeconds() * 4 + 5, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
        follower.close();
        try {
            gates.close();
        } finally {
            topic.close();
            session.close();
            registered.forEach(meters::remove);
        }
    }
}
