package dev.turnout.rollout.internal;

import java.time.Clock;
import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.core.TopicNames;
import dev.turnout.core.config.TurnoutConfig.ErrorRateGateConfig;
import dev.turnout.rollout.Gate;
import dev.turnout.rollout.GateResult;
import dev.turnout.rollout.Route;
import dev.turnout.rollout.RolloutState;
import dev.turnout.schemas.rollout.RolloutSignal;

/**
 * The error-rate gate: the share of the rollout's calls on NEW that failed within the window, summed from the counts
 * services report through {@code RolloutSignals} to {@code turnout.rollout.signals}. Does not apply while the topic does
 * not exist or fewer than {@code minCalls} calls on NEW were reported in the window (too few to judge).
 */
public final class ErrorRateGate implements Gate {

    public static final String NAME = "error-rate";
    private static final Logger log = LoggerFactory.getLogger(ErrorRateGate.class);

    private final KafkaSession session;
    private final TopicReads reads;
    private final ErrorRateGateConfig config;
    private final Clock clock;

    public ErrorRateGate(KafkaSession session, ErrorRateGateConfig config, Clock clock) {
        this.session = session;
        this.reads = new TopicReads(session);
        this.config = config;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GateResult check(RolloutState rollout) {
        String topic = TopicNames.rolloutSignals();
        if (!session.topicExists(topic)) {
            return GateResult.notApplicable(NAME, "topic " + topic + " does not exist (no service reports its calls)");
        }
        Instant from = clock.instant().minus(config.window());
        long[] calls = new long[2];
        long[] errors = new long[2];
        for (ConsumerRecord<String, byte[]> r : reads.since(topic, from)) {
            if (!rollout.name().equals(r.key()) || r.value() == null) {
                continue;
            }
            RolloutSignal signal;
            try {
                signal = (RolloutSignal) session.deserializer().deserialize(topic, r.value());
            } catch (SerializationException | ClassCastException bad) {
                log.warn("Skipping record {}-{}@{} of {}: not a RolloutSignal ({})", r.topic(), r.partition(), r.offset(),
                    topic, bad.getMessage());
                continue;
            }
            int side = Route.NEW.name().equals(signal.getRoute()) ? 1 : 0;
            calls[side] += signal.getSuccesses() + signal.getErrors();
            errors[side] += signal.getErrors();
        }
        String window = Amounts.duration(config.window());
        String old = "OLD: " + Amounts.percent(errors[0], calls[0]) + " of " + Amounts.count(calls[0]) + " call(s)";
        if (calls[1] < config.minCalls()) {
            return GateResult.notApplicable(NAME, Amounts.count(calls[1]) + " call(s) on NEW in the last " + window
                + ", fewer than the " + Amounts.count(config.minCalls()) + " needed to judge; " + old);
        }
        String detail = "NEW: " + Amounts.percent(errors[1], calls[1]) + " of " + Amounts.count(calls[1])
            + " call(s) failed in the last " + window + " (max " + Amounts.percent(config.maxPercent()) + "); " + old;
        return Amounts.exceeds(errors[1], calls[1], config.maxPercent())
            ? GateResult.fail(NAME, detail) : GateResult.pass(NAME, detail);
    }
}
