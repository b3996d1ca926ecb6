package dev.turnout.rollout.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;

import dev.turnout.core.TopicNames;
import dev.turnout.core.config.TurnoutConfig.ReconciliationGateConfig;
import dev.turnout.rollout.Gate;
import dev.turnout.rollout.GateResult;
import dev.turnout.rollout.RolloutState;
import dev.turnout.schemas.reconcile.ReconcileSummary;

/**
 * The reconciliation gate: from the latest summary of every table in {@code turnout.<pipeline>.reconcile.summary}, the
 * share of keys that are MISMATCH or MISSING, and the age of the oldest unresolved difference (as reported, plus the
 * time since the summary was emitted, since it stays unresolved until a later summary says otherwise). Does not apply
 * while the topic does not exist (reconciliation not running) or holds no summary. A summary it cannot decode fails the
 * gate: the gate cannot vouch for what it cannot read.
 */
public final class ReconciliationGate implements Gate {

    public static final String NAME = "reconciliation";

    private final KafkaSession session;
    private final TopicReads reads;
    private final String topic;
    private final ReconciliationGateConfig config;
    private final Clock clock;

    public ReconciliationGate(KafkaSession session, String pipeline, ReconciliationGateConfig config, Clock clock) {
        this.session = session;
        this.reads = new TopicReads(session);
        this.topic = TopicNames.reconcileSummary(pipeline);
        this.config = config;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GateResult check(RolloutState rollout) {
        if (!session.topicExists(topic)) {
            return GateResult.notApplicable(NAME, "topic " + topic + " does not exist (reconciliation is not running)");
        }
        Map<String, byte[]> latest = reads.latestByKey(topic);
        if (latest.isEmpty()) {
            return GateResult.notApplicable(NAME, "topic " + topic + " holds no summary yet");
        }
        Instant now = clock.instant();
        long total = 0;
        long unresolved = 0;
        Duration oldest = Duration.ZERO;
        String worstTable = null;
        long worst = 0;
        for (Map.Entry<String, byte[]> e : latest.entrySet()) {
            ReconcileSummary s;
            try {
                s = (ReconcileSummary) session.deserializer().deserialize(topic, e.getValue());
            } catch (SerializationException | ClassCastException bad) {
                return GateResult.fail(NAME, "cannot read the summary of " + e.getKey() + " in " + topic + ": "
                    + bad.getMessage());
            }
            long tableUnresolved = s.getMismatch() + s.getMissing();
            total += s.getMatch() + s.getPending() + s.getMismatch() + s.getMissing() + s.getExtra();
            unresolved += tableUnresolved;
            if (tableUnresolved > worst) {
                worst = tableUnresolved;
                worstTable = s.getTable() + ": " + Amounts.count(s.getMismatch()) + " mismatch, "
                    + Amounts.count(s.getMissing()) + " missing";
            }
            if (s.getOldestUnresolvedAgeMs() != null) {
                Duration age = Duration.ofMillis(s.getOldestUnresolvedAgeMs())
                    .plus(maxZero(Duration.between(s.getEmittedAt(), now)));
                if (age.compareTo(oldest) > 0) {
                    oldest = age;
                }
            }
        }
        boolean shareFails = Amounts.exceeds(unresolved, total, config.maxUnresolvedPercent());
        boolean ageFails = oldest.compareTo(config.maxUnresolvedAge()) > 0;
        String detail = Amounts.percent(unresolved, total) + " of " + Amounts.count(total) + " keys in "
            + latest.size() + " table(s) are MISMATCH or MISSING (max " + Amounts.percent(config.maxUnresolvedPercent())
            + "); oldest unresolved " + (oldest.isZero() ? "none" : Amounts.duration(oldest)) + " (max "
            + Amounts.duration(config.maxUnresolvedAge()) + ")" + (worstTable == null ? "" : "; most in " + worstTable);
        return shareFails || ageFails ? GateResult.fail(NAME, detail) : GateResult.pass(NAME, detail);
    }

    private static Duration maxZero(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
