package dev.turnout.cutover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.cutover.CutoverException.Kind;
import dev.turnout.cutover.TopicSyncPlan.Action;
import dev.turnout.cutover.TopicSyncPlan.ConfigDifference;
import dev.turnout.cutover.TopicSyncPlan.TopicAction;
import dev.turnout.cutover.internal.KafkaAccess;

/**
 * Makes the target cluster's topics like the source's: missing topics are created with the same partition count and the
 * configs that change what consumers see ({@link #SYNCED_CONFIGS}), set explicitly to the source's effective values so
 * that differing broker defaults do not matter; existing topics are compared and differences reported, never altered.
 * A partition-count mismatch is an error: {@link #execute} then creates nothing.
 *
 * <p>Internal topics (names starting with {@code _}) and {@value TurnoutHeaders#SNAPSHOTS_TOPIC} are never synced.
 * Not thread-safe; owns its admin clients.
 */
public final class TopicSync implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicSync.class);

    /** The topic configs that decide what consumers read and how long it stays; copied and compared. */
    public static final List<String> SYNCED_CONFIGS = List.of("cleanup.policy", "retention.ms", "retention.bytes",
        "delete.retention.ms", "min.compaction.lag.ms", "max.compaction.lag.ms", "min.cleanable.dirty.ratio",
        "max.message.bytes", "compression.type", "message.timestamp.type", "message.timestamp.before.max.ms",
        "message.timestamp.after.max.ms", "segment.ms");

    private final KafkaAccess source;
    private final KafkaAccess target;

    public TopicSync(ClusterConnection from, ClusterConnection to, Duration timeout) {
        this.source = new KafkaAccess(from, timeout);
        this.target = new KafkaAccess(to, timeout);
    }

    /** Compares the source topics matching {@code topics} with the target. Changes nothing. */
    public TopicSyncPlan plan(Pattern topics) {
        List<String> names = source.topicNames().stream()
            .filter(t -> !t.startsWith("_") && !t.equals(TurnoutHeaders.SNAPSHOTS_TOPIC))
            .filter(t -> topics.matcher(t).matches())
            .sorted().toList();
        Map<String, Integer> sourceCounts = source.partitionCounts(names);
        Map<String, Config> sourceConfigs = source.topicConfigs(names);
        Map<String, Integer> targetCounts = target.partitionCounts(names);
        Map<String, Config> targetConfigs = target.topicConfigs(new ArrayList<>(targetCounts.keySet()));
        List<TopicAction> actions = new ArrayList<>();
        for (String topic : names) {
            Map<String, String> wanted = synced(sourceConfigs.get(topic));
            Integer targetCount = targetCounts.get(topic);
            int count = sourceCounts.get(topic);
            if (targetCount == null) {
                actions.add(new TopicAction(topic, count, null, Action.CREATE, wanted, List.of()));
                continue;
            }
            Map<String, String> actual = synced(targetConfigs.get(topic));
            List<ConfigDifference> differences = new ArrayList<>();
            for (String key : SYNCED_CONFIGS) {
                if (!Objects.equals(wanted.get(key), actual.get(key))) {
                    differences.add(new ConfigDifference(key, wanted.get(key), actual.get(key)));
                }
            }
            Action action = targetCount != count ? Action.PARTITION_MISMATCH
                : differences.isEmpty() ? Action.IN_SYNC : Action.CONFIG_DIFFERS;
            actions.add(new TopicAction(topic, count, targetCount, action, actual, differences));
        }
        return new TopicSyncPlan(source.cluster().toString(), target.cluster().toString(), actions);
    }

    /** Creates the plan's missing topics; refuses everything when a partition count differs. */
    public TopicSyncPlan execute(TopicSyncPlan plan) {
        if (plan.hasPartitionMismatch()) {
            String which = plan.topics().stream().filter(t -> t.action() == Action.PARTITION_MISMATCH)
                .map(t -> t.topic() + " (" + t.partitions() + " on the source, " + t.targetPartitions() + " on the target)")
                .reduce((x, y) -> x + ", " + y).orElseThrow();
            throw new CutoverException(Kind.REFUSED, "Partition counts differ for " + which + "; offsets cannot be "
                + "translated partition by partition. Recreate those topics on " + target.cluster()
                + " with the source's partition count; nothing was created");
        }
        List<NewTopic> creates = new ArrayList<>();
        for (TopicAction t : plan.topics()) {
            if (t.action() == Action.CREATE) {
                creates.add(new NewTopic(t.topic(), Optional.of(t.partitions()), Optional.empty()).configs(t.configs()));
            }
        }
        for (NewTopic topic : creates) {
            try {
                target.admin().createTopics(List.of(topic)).all().get(target.timeout().toMillis(), TimeUnit.MILLISECONDS);
                log.info("Created topic {} on {} ({} partitions)", topic.name(), target.cluster(), topic.numPartitions());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw target.failure("create topic " + topic.name(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CutoverException(Kind.FAILED, "Interrupted while creating topics on " + target.cluster(), e);
            } catch (TimeoutException e) {
                throw target.failure("create topic " + topic.name(), e);
            }
        }
        return plan;
    }

    private static Map<String, String> synced(Config config) {
        Map<String, String> values = new TreeMap<>();
        if (config == null) {
            return values;
        }
        for (String key : SYNCED_CONFIGS) {
            ConfigEntry entry = config.get(key);
            if (entry != null && entry.value() != null) {
                values.put(key, entry.value());
            }
        }
        return values;
    }

    @Override
    public void close() {
        source.close();
        target.close();
    }
}
