package dev.turnout.cutover;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import dev.turnout.cutover.CutoverException.Kind;
import dev.turnout.cutover.TranslationPlan.Pair;
import dev.turnout.cutover.TranslationPlan.PartitionPlan;
import dev.turnout.cutover.VerificationReport.PartitionCheck;
import dev.turnout.cutover.internal.ClusterSession;
import dev.turnout.cutover.internal.LogRecord;
import dev.turnout.cutover.internal.SnapshotTaker;
import dev.turnout.cutover.internal.SuffixComparator;
import dev.turnout.cutover.internal.TranslationEngine;

/**
 * Re-checks a {@link TranslationPlan} against the two clusters: translates every partition again from the plan's
 * committed source offsets and confirms the same target offset and the same boundary evidence (offsets and fingerprints
 * on both sides). With {@code full}, also compares the whole unconsumed suffix on the source with the suffix the target
 * would deliver, record by record, and counts what would be lost or delivered twice.
 *
 * <p>Read-only. Records still in flight (a dual publisher's journal not yet drained) count as lost until they arrive:
 * run a full check when producers are quiet or their journals are empty. Not thread-safe; owns its clients.
 */
public final class PlanVerifier implements AutoCloseable {

    private final ClusterSession source;
    private final ClusterSession target;
    private final TranslationOptions options;

    public PlanVerifier(ClusterConnection source, ClusterConnection target, TranslationOptions options) {
        this.source = new ClusterSession(source, options.timeout());
        this.target = new ClusterSession(target, options.timeout());
        this.options = options;
    }

    public VerificationReport verify(TranslationPlan plan, boolean full) {
        checkCluster(source, plan.source());
        checkCluster(target, plan.target());
        Map<TopicPartition, Long> cuts = new LinkedHashMap<>();
        plan.partitions().forEach(p -> cuts.put(new TopicPartition(p.topic(), p.partition()), p.sourceOffset()));
        Map<TopicPartition, TranslationEngine.PartitionOutcome> again = new TranslationEngine(source, target, options).translate(cuts);
        Map<TopicPartition, OffsetAndMetadata> committed = target.access().committedOffsets(plan.group());
        Map<TopicPartition, long[]> suffixes = new LinkedHashMap<>();
        for (PartitionPlan p : plan.partitions()) {
            if (p.status().isResolved()) {
                suffixes.put(new TopicPartition(p.topic(), p.partition()), new long[] {p.sourceOffset(), p.targetOffset()});
            }
        }
        Map<TopicPartition, SuffixComparator.Counts> counts = full
            ? SuffixComparator.compare(source, target, suffixes) : Map.of();
        List<PartitionCheck> checks = new ArrayList<>();
        for (PartitionPlan p : plan.partitions()) {
            TopicPartition tp = new TopicPartition(p.topic(), p.partition());
            TranslationEngine.PartitionOutcome o = again.get(tp);
            List<String> problems = new ArrayList<>();
            if (!p.status().isResolved()) {
                problems.add("UNRESOLVED in the plan: " + p.reason());
            } else if (!o.status().isResolved()) {
                problems.add("no longer resolvable: " + o.reason());
            } else {
                if (!Objects.equals(o.targetOffset(), p.targetOffset())) {
                    problems.add("the clusters now give target offset " + o.targetOffset() + ", the plan says "
                        + p.targetOffset());
                }
                Pair planned = p.evidence() == null ? null : p.evidence().lastConsumed();
                Pair now = pair(o.alignment().lastConsumedSource(), o.alignment().lastConsumedTarget());
                if (planned != null && !samePair(planned, now)) {
                    problems.add("last consumed evidence differs: plan " + describe(planned) + ", now " + describe(now));
                }
                Pair plannedNext = p.evidence() == null ? null : p.evidence().firstUnconsumed();
                Pair nowNext = pair(o.alignment().firstUnconsumedSource(), o.alignment().firstUnconsumedTarget());
                if (plannedNext != null && plannedNext.target() != null && !samePair(plannedNext, nowNext)) {
                    problems.add("first unconsumed evidence differs: plan " + describe(plannedNext) + ", now "
                        + describe(nowNext));
                }
            }
            SuffixComparator.Counts c = counts.get(tp);
            checks.add(new PartitionCheck(p.topic(), p.partition(), p.status(), p.targetOffset(),
                o == null ? null : o.targetOffset(),
                committed.containsKey(tp) ? committed.get(tp).offset() : null, problems,
                c == null ? null : c.lost(), c == null ? null : c.redelivered(), c == null ? null : c.onlyOnTarget(),
                c == null ? List.of() : c.lostRecords()));
        }
        return new VerificationReport(plan.group(), full, checks);
    }

    private static void checkCluster(ClusterSession session, TranslationPlan.ClusterRef ref) {
        String id = session.access().clusterId();
        if (!id.equals(ref.clusterId())) {
            throw new CutoverException(Kind.REFUSED, "The plan names cluster id " + ref.clusterId() + " (" + ref.name()
                + "), but " + session.access().cluster() + " has cluster id " + id);
        }
    }

    private static Pair pair(LogRecord s, LogRecord t) {
        return new Pair(SnapshotTaker.evidence(s), SnapshotTaker.evidence(t));
    }

    private static boolean samePair(Pair x, Pair y) {
        return same(x.source(), y == null ? null : y.source()) && same(x.target(), y == null ? null : y.target());
    }

    private static boolean same(RecordEvidence x, RecordEvidence y) {
        if (x == null || y == null) {
            return x == y;
        }
        return x.offset() == y.offset() && x.fingerprint().equals(y.fingerprint());
    }

    private static String describe(Pair p) {
        if (p == null) {
            return "none";
        }
        return "source " + (p.source() == null ? "-" : p.source().offset() + "/" + p.source().fingerprint().substring(0, 12))
            + " target " + (p.target() == null ? "-" : p.target().offset() + "/" + p.target().fingerprint().substring(0, 12));
    }

    @Override
    public void close() {
        source.close();
        target.close();
    }
}
