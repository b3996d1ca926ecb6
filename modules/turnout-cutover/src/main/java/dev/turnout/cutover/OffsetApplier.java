package dev.turnout.cutover;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.cutover.CutoverException.Kind;
import dev.turnout.cutover.TranslationPlan.PartitionPlan;
import dev.turnout.cutover.internal.KafkaAccess;

/**
 * Commits a {@link TranslationPlan}'s target offsets for its group on the target cluster.
 *
 * <p>Refuses (and changes nothing) when the plan was made for another cluster, when the group has active members on the
 * target (offsets must never move under running consumers), or when the plan has UNRESOLVED partitions and they are not
 * explicitly allowed (then they are left as they are). All offsets are committed in one request, then commits the
 * source does not have are deleted. Not thread-safe; owns its admin client.
 */
public final class OffsetApplier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OffsetApplier.class);

    private final KafkaAccess target;

    public OffsetApplier(ClusterConnection target, Duration timeout) {
        this.target = new KafkaAccess(target, timeout);
    }

    /**
     * What applying would change, and why it would be refused, if it would.
     *
     * @param refusal the reason {@link #apply} would refuse, if any
     */
    public record Preview(String group, String cluster, List<OffsetChange> changes, Optional<String> refusal) {
    }

    /** Computes the changes without making them. */
    public Preview preview(TranslationPlan plan, boolean allowUnresolved) {
        String actualId = target.clusterId();
        if (!actualId.equals(plan.target().clusterId())) {
            throw new CutoverException(Kind.REFUSED, "The plan was made for target cluster id " + plan.target().clusterId()
                + " (" + plan.target().name() + "), but " + target.cluster() + " has cluster id " + actualId);
        }
        Map<TopicPartition, OffsetAndMetadata> current = target.committedOffsets(plan.group());
        Set<TopicPartition> tps = new HashSet<>();
        plan.partitions().forEach(p -> tps.add(new TopicPartition(p.topic(), p.partition())));
        Map<String, Integer> counts = target.partitionCounts(tps.stream().map(TopicPartition::topic).distinct().toList());
        Map<TopicPartition, Long> ends = target.lastStable(tps.stream()
            .filter(tp -> counts.getOrDefault(tp.topic(), 0) > tp.partition()).toList());
        List<OffsetChange> changes = new ArrayList<>();
        for (PartitionPlan p : plan.partitions()) {
            TopicPartition tp = new TopicPartition(p.topic(), p.partition());
            Long now = current.containsKey(tp) ? current.get(tp).offset() : null;
            Long end = ends.get(tp);
            if (!p.status().isResolved()) {
                changes.add(new OffsetChange(p.topic(), p.partition(), now, null, null, OffsetChange.Action.SKIP,
                    "UNRESOLVED: " + p.reason()));
            } else {
                long lag = end == null ? 0 : Math.max(0, end - p.targetOffset());
                changes.add(new OffsetChange(p.topic(), p.partition(), now, p.targetOffset(), lag,
                    p.targetOffset().equals(now) ? OffsetChange.Action.SKIP : OffsetChange.Action.COMMIT, p.status().name()));
            }
        }
        for (TopicPartitionOffset c : plan.clearOnTarget()) {
            Long now = current.containsKey(c.topicPartition()) ? current.get(c.topicPartition()).offset() : null;
            if (now != null) {
                changes.add(new OffsetChange(c.topic(), c.partition(), now, null, null, OffsetChange.Action.DELETE,
                    "no commit on the source"));
            }
        }
        changes.sort((x, y) -> x.topic().equals(y.topic()) ? Integer.compare(x.partition(), y.partition())
            : x.topic().compareTo(y.topic()));
        return new Preview(plan.group(), target.cluster().toString(), changes, refusal(plan, allowUnresolved));
    }

    private Optional<String> refusal(TranslationPlan plan, boolean allowUnresolved) {
        KafkaAccess.GroupStatus status = target.groupStatus(plan.group());
        if (status.isActive()) {
            return Optional.of("group " + plan.group() + " has " + status.members() + " active member(s) on "
                + target.cluster() + " (state " + status.state() + "): stop its consumers there first");
        }
        List<PartitionPlan> unresolved = plan.unresolved();
        if (!unresolved.isEmpty() && !allowUnresolved) {
            return Optional.of(unresolved.size() + " partition(s) are UNRESOLVED (" + unresolved.stream().limit(3)
                .map(p -> p.topic() + "-" + p.partition() + ": " + p.reason()).collect(Collectors.joining("; "))
                + (unresolved.size() > 3 ? "; ..." : "") + "); pass --allow-unresolved to apply the others and leave "
                + "them as they are");
        }
        return Optional.empty();
    }

    /** Applies the plan; throws {@link CutoverException} (REFUSED) instead of changing anything when it must refuse. */
    public Preview apply(TranslationPlan plan, boolean allowUnresolved) {
        Preview preview = preview(plan, allowUnresolved);
        if (preview.refusal().isPresent()) {
            throw new CutoverException(Kind.REFUSED, "Refusing to apply: " + preview.refusal().get());
        }
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        Set<TopicPartition> deletes = new HashSet<>();
        for (OffsetChange c : preview.changes()) {
            TopicPartition tp = new TopicPartition(c.topic(), c.partition());
            if (c.action() == OffsetChange.Action.COMMIT) {
                commits.put(tp, new OffsetAndMetadata(c.proposed(), "turnout plan " + plan.id()));
            } else if (c.action() == OffsetChange.Action.DELETE) {
                deletes.add(tp);
            }
        }
        if (!commits.isEmpty()) {
            target.call("commit offsets of group " + plan.group(),
                target.admin().alterConsumerGroupOffsets(plan.group(), commits).all());
        }
        if (!deletes.isEmpty()) {
            target.call("delete offsets of group " + plan.group(),
                target.admin().deleteConsumerGroupOffsets(plan.group(), deletes).all());
        }
        log.info("Applied plan {} to group {} on {}: {} offset(s) committed, {} deleted", plan.id(), plan.group(),
            target.cluster(), commits.size(), deletes.size());
        return preview;
    }

    /** Reads a plan file. */
    public static TranslationPlan readPlan(Path file) {
        return OffsetTranslator.readPlan(file);
    }

    @Override
    public void close() {
        target.close();
    }
}
