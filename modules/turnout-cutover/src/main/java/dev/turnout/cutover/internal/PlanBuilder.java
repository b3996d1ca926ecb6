package dev.turnout.cutover.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import dev.turnout.cutover.GroupSnapshot;
import dev.turnout.cutover.TopicPartitionOffset;
import dev.turnout.cutover.TranslationPlan;
import dev.turnout.cutover.TranslationPlan.ClusterRef;
import dev.turnout.cutover.TranslationPlan.Evidence;
import dev.turnout.cutover.TranslationPlan.OneSidedRecord;
import dev.turnout.cutover.TranslationPlan.Pair;
import dev.turnout.cutover.TranslationPlan.PartitionPlan;

/** Turns the engine's outcomes into a {@link TranslationPlan} with its evidence. Stateless. */
public final class PlanBuilder {

    private PlanBuilder() {
    }

    public static TranslationPlan build(GroupSnapshot snapshot, ClusterSession source, ClusterSession target,
                                        Map<TopicPartition, TranslationEngine.PartitionOutcome> outcomes,
                                        List<TopicPartitionOffset> clearOnTarget) {
        List<PartitionPlan> partitions = new ArrayList<>();
        for (TranslationEngine.PartitionOutcome o : outcomes.values()) {
            partitions.add(partition(o, snapshot));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new TranslationPlan(TranslationPlan.FORMAT, snapshot.group() + "@" + now, snapshot.group(), now,
            ref(source), ref(target), snapshot.id(), snapshot.hasCommits(), TranslationPlan.Summary.of(partitions),
            partitions, clearOnTarget);
    }

    public static ClusterRef ref(ClusterSession session) {
        return new ClusterRef(session.access().cluster().name(), session.access().cluster().bootstrap(),
            session.access().clusterId());
    }

    public static PartitionPlan partition(TranslationEngine.PartitionOutcome o, GroupSnapshot snapshot) {
        Aligner.Result r = o.alignment();
        Evidence evidence = new Evidence(o.sourceBounds(), o.targetBounds(), o.window(),
            r == null ? null : pair(r.lastConsumedSource(), r.lastConsumedTarget()),
            r == null ? null : pair(r.firstUnconsumedSource(), r.firstUnconsumedTarget()));
        List<OneSidedRecord> onlySource = new ArrayList<>();
        List<OneSidedRecord> onlyTarget = new ArrayList<>();
        if (r != null && o.status().isResolved()) {
            r.onlySource().forEach(x -> onlySource.add(oneSided(x.record(), x.beforeCut())));
            r.onlyTarget().forEach(x -> onlyTarget.add(oneSided(x.record(), x.record().offset() < o.targetOffset())));
        }
        List<String> notes = new ArrayList<>();
        GroupSnapshot.PartitionSnapshot ps = snapshot.byPartition().get(o.tp());
        if (ps != null && ps.lastConsumed() != null && r != null && r.lastConsumedSource() != null
                && r.lastConsumedSource().offset() == ps.lastConsumed().offset()
                && !r.lastConsumedSource().fingerprint().equals(ps.lastConsumed().fingerprint())) {
            notes.add("the record at source offset " + ps.lastConsumed().offset() + " changed since the snapshot");
        }
        long missing = onlySource.stream().filter(x -> !x.beforeCut()).count();
        if (missing > 0) {
            notes.add(missing + " unconsumed source record(s) have no counterpart on the target and would not be "
                + "delivered there");
        }
        return new PartitionPlan(o.tp().topic(), o.tp().partition(), o.cut(), o.targetOffset(), o.status(), o.reason(),
            r == null ? null : r.matchedBy(), evidence, onlySource, onlyTarget, notes);
    }

    private static Pair pair(LogRecord source, LogRecord target) {
        if (source == null && target == null) {
            return null;
        }
        return new Pair(SnapshotTaker.evidence(source), SnapshotTaker.evidence(target));
    }

    private static OneSidedRecord oneSided(LogRecord r, boolean beforeCut) {
        return new OneSidedRecord(r.offset(), r.timestamp(), r.fingerprint(), r.recordId(), beforeCut);
    }
}
