package dev.turnout.rollout;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.turnout.core.config.TurnoutConfig.RolloutGatesConfig;
import dev.turnout.rollout.internal.ApplyLagGate;
import dev.turnout.rollout.internal.DeadLetterGate;
import dev.turnout.rollout.internal.ErrorRateGate;
import dev.turnout.rollout.internal.KafkaSession;
import dev.turnout.rollout.internal.ReconciliationGate;

/**
 * The gates a rollout is checked against, in order. {@link #standard} gives Turnout's four: reconciliation, apply lag,
 * dead letters and the services' error rate, with the thresholds of {@code rollout.gates}. Not thread-safe: one caller
 * at a time. {@link #close()} closes the clients it created.
 */
public final class RolloutGates implements AutoCloseable {

    private final List<Gate> gates;
    private final AutoCloseable resources;

    private RolloutGates(List<Gate> gates, AutoCloseable resources) {
        this.gates = List.copyOf(gates);
        this.resources = resources;
    }

    /** The four standard gates of {@code pipeline}, reading its topics through {@code settings}. */
    public static RolloutGates standard(RolloutSettings settings, String pipeline, RolloutGatesConfig config) {
        Objects.requireNonNull(pipeline, "pipeline");
        KafkaSession session = new KafkaSession(settings, "gates");
        Clock clock = Clock.systemUTC();
        return new RolloutGates(List.of(
            new ReconciliationGate(session, pipeline, config.reconciliation(), clock),
            new ApplyLagGate(session, pipeline, config.applyLag()),
            new DeadLetterGate(session, pipeline, config.deadLetters(), clock),
            new ErrorRateGate(session, config.errorRate(), clock)), session);
    }

    /** Gates of the caller's own; their resources stay the caller's. */
    public static RolloutGates of(List<Gate> gates) {
        return new RolloutGates(gates, () -> { });
    }

    /** The gates' names, in order. */
    public List<String> names() {
        return gates.stream().map(Gate::name).toList();
    }

    /** Checks every gate now; throws {@link RolloutException} when one cannot read what it needs. */
    public List<GateResult> check(RolloutState rollout) {
        List<GateResult> results = new ArrayList<>();
        for (Gate gate : gates) {
            results.add(gate.check(rollout));
        }
        return results;
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not close the gates' clients", e);
        }
    }
}
