package dev.turnout.rollout.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import dev.turnout.core.TopicNames;
import dev.turnout.core.config.TurnoutConfig.ApplyLagGateConfig;
import dev.turnout.rollout.Gate;
import dev.turnout.rollout.GateResult;
import dev.turnout.rollout.RolloutState;

/**
 * The apply-lag gate: how many records of the apply topics ({@code turnout.<pipeline>.apply.*}) the applier's consumer
 * group ({@code turnout-<pipeline>-apply}) has not consumed, from its committed offsets to the last stable offsets (a
 * partition without a commit counts from its log start). Does not apply while there is no apply topic.
 */
public final class ApplyLagGate implements Gate {

    public static final String NAME = "apply-lag";

    private final KafkaSession session;
    private final String prefix;
    private final String group;
    private final ApplyLagGateConfig config;

    public ApplyLagGate(KafkaSession session, String pipeline, ApplyLagGateConfig config) {
        this.session = session;
        this.prefix = TopicNames.applyTopicPrefix(pipeline);
        this.group = TopicNames.applyGroup(pipeline);
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GateResult check(RolloutState rollout) {
        Set<String> all = session.await(session.admin().listTopics().names(), "list topics");
        List<String> topics = all.stream().filter(t -> t.startsWith(prefix)).sorted().toList();
        if (topics.isEmpty()) {
            return GateResult.notApplicable(NAME, "no apply topic (" + prefix + "*) exists (the pipeline is not applying)");
        }
        Map<String, TopicDescription> described = session.await(session.admin().describeTopics(topics).allTopicNames(),
            "describe the apply topics");
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        described.values().forEach(d -> d.partitions().forEach(p -> {
            TopicPartition tp = new TopicPartition(d.name(), p.partition());
            latest.put(tp, OffsetSpec.latest());
            earliest.put(tp, OffsetSpec.earliest());
        }));
        Map<TopicPartition, OffsetAndMetadata> committed = session.await(
            session.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(),
            "read the committed offsets of group " + group);
        ListOffsetsOptions readCommitted = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
        Map<TopicPartition, ListOffsetsResultInfo> ends = session.await(
            session.admin().listOffsets(latest, readCommitted).all(), "read the end offsets of the apply topics");
        Map<TopicPartition, ListOffsetsResultInfo> starts = session.await(
            session.admin().listOffsets(earliest).all(), "read the start offsets of the apply topics");
        long lag = 0;
        int uncommitted = 0;
        for (TopicPartition tp : latest.keySet()) {
            OffsetAndMetadata c = committed.get(tp);
            long from = c != null ? c.offset() : starts.get(tp).offset();
            if (c == null) {
                uncommitted++;
            }
            lag += Math.max(0, ends.get(tp).offset() - from);
        }
        String detail = "group " + group + " is " + Amounts.count(lag) + " record(s) behind on " + latest.size()
            + " partition(s) of " + topics.size() + " apply topic(s) (max " + Amounts.count(config.maxRecords()) + ")"
            + (uncommitted == 0 ? "" : "; " + uncommitted + " partition(s) without a committed offset count from their start");
        return lag > config.maxRecords() ? GateResult.fail(NAME, detail) : GateResult.pass(NAME, detail);
    }
}
