package dev.turnout.rollout.internal;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

import dev.turnout.core.TopicNames;
import dev.turnout.core.config.TurnoutConfig.DeadLetterGateConfig;
import dev.turnout.rollout.Gate;
import dev.turnout.rollout.GateResult;
import dev.turnout.rollout.RolloutState;

/**
 * The dead-letter gate: how much the end offsets of {@code turnout.<pipeline>.dlq} grew within the window, measured from
 * the first offset whose timestamp is inside the window (the broker's time index) to the end. With transactional
 * writers the growth includes transaction markers, so it is an upper bound on the records that arrived. Does not apply
 * while the topic does not exist.
 */
public final class DeadLetterGate implements Gate {

    public static final String NAME = "dead-letters";

    private final KafkaSession session;
    private final String topic;
    private final DeadLetterGateConfig config;
    private final Clock clock;

    public DeadLetterGate(KafkaSession session, String pipeline, DeadLetterGateConfig config, Clock clock) {
        this.session = session;
        this.topic = TopicNames.deadLetters(pipeline);
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
            return GateResult.notApplicable(NAME, "topic " + topic + " does not exist (nothing was ever dead-lettered)");
        }
        TopicDescription description = session.await(
            session.admin().describeTopics(java.util.List.of(topic)).allTopicNames(), "describe topic " + topic).get(topic);
        long windowStart = clock.instant().minus(config.window()).toEpochMilli();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> atWindowStart = new HashMap<>();
        description.partitions().forEach(p -> {
            TopicPartition tp = new TopicPartition(topic, p.partition());
            latest.put(tp, OffsetSpec.latest());
            atWindowStart.put(tp, OffsetSpec.forTimestamp(windowStart));
        });
        Map<TopicPartition, ListOffsetsResultInfo> ends = session.await(session.admin().listOffsets(latest).all(),
            "read the end offsets of " + topic);
        Map<TopicPartition, ListOffsetsResultInfo> starts = session.await(session.admin().listOffsets(atWindowStart).all(),
            "look up offsets by time in " + topic);
        long growth = 0;
        for (TopicPartition tp : latest.keySet()) {
            long end = ends.get(tp).offset();
            long start = starts.get(tp).offset();
            // -1: no record at or after the window start, so nothing arrived within the window.
            growth += start < 0 ? 0 : Math.max(0, end - start);
        }
        String detail = Amounts.count(growth) + " record(s) reached " + topic + " in the last "
            + Amounts.duration(config.window()) + " (max " + Amounts.count(config.maxNew()) + ")";
        return growth > config.maxNew() ? GateResult.fail(NAME, detail) : GateResult.pass(NAME, detail);
    }
}
