package dev.turnout.cutover.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.cutover.PartitionStatus;
import dev.turnout.cutover.TranslationOptions;
import dev.turnout.cutover.TranslationPlan.LogBounds;
import dev.turnout.cutover.TranslationPlan.Window;
import dev.turnout.cutover.internal.PartitionReader.Spec;

/**
 * Translates committed offsets of many partitions from a source to a target cluster, in rounds: each round reads, for
 * every partition still open, a window of the source around its committed offset and the matching window of the
 * target (found with a timestamp lookup, a hint only), all partitions in one batch per side; the {@link Aligner} then
 * decides, or asks for wider windows. Log bounds and timestamp lookups are one admin request per round for all
 * partitions.
 *
 * <p>Not thread-safe; one engine per translation. Does not own the {@link ClusterSession}s.
 */
public final class TranslationEngine {

    private static final Logger log = LoggerFactory.getLogger(TranslationEngine.class);
    private static final int MAX_ROUNDS = 8;

    private final ClusterSession source;
    private final ClusterSession target;
    private final TranslationOptions options;

    public TranslationEngine(ClusterSession source, ClusterSession target, TranslationOptions options) {
        this.source = source;
        this.target = target;
        this.options = options;
    }

    /** One partition's translation and what it rests on. */
    public record PartitionOutcome(TopicPartition tp, long cut, PartitionStatus status, Long targetOffset, String reason,
                           Aligner.Result alignment, LogBounds sourceBounds, LogBounds targetBounds, Window window) {
    }

    private static final class Job {
        final TopicPartition tp;
        final long cut;
        int before;
        int after;
        int targetMax;
        boolean targetFromStart;
        PartitionOutcome result;

        Job(TopicPartition tp, long cut, TranslationOptions o) {
            this.tp = tp;
            this.cut = cut;
            this.before = o.window();
            this.after = o.window();
            this.targetMax = Math.max(4 * o.window(), 256);
        }
    }

    public Map<TopicPartition, PartitionOutcome> translate(Map<TopicPartition, Long> cuts) {
        Map<TopicPartition, PartitionOutcome> results = new TreeMap<>((x, y) -> x.topic().equals(y.topic())
            ? Integer.compare(x.partition(), y.partition()) : x.topic().compareTo(y.topic()));
        if (cuts.isEmpty()) {
            return results;
        }
        String sourceId = source.access().clusterId();
        String targetId = target.access().clusterId();
        Set<String> topics = new HashSet<>();
        cuts.keySet().forEach(tp -> topics.add(tp.topic()));
        Map<String, Integer> targetPartitions = target.access().partitionCounts(topics);
        Map<String, Config> sourceConfigs = source.access().topicConfigs(topics);

        List<TopicPartition> all = new ArrayList<>(cuts.keySet());
        Map<TopicPartition, Long> srcStart = source.access().earliest(all);
        Map<TopicPartition, Long> srcEnd = source.access().lastStable(all);
        List<TopicPartition> onTarget = all.stream()
            .filter(tp -> targetPartitions.getOrDefault(tp.topic(), 0) > tp.partition()).toList();
        Map<TopicPartition, Long> tgtStart = target.access().earliest(onTarget);
        Map<TopicPartition, Long> tgtEnd = target.access().lastStable(onTarget);

        List<Job> open = new ArrayList<>();
        for (TopicPartition tp : all) {
            long cut = cuts.get(tp);
            LogBounds sb = new LogBounds(srcStart.get(tp), srcEnd.get(tp));
            if (!onTarget.contains(tp)) {
                Integer count = targetPartitions.get(tp.topic());
                results.put(tp, unresolved(tp, cut, sb, null, null, count == null
                    ? "topic " + tp.topic() + " does not exist on the target; run 'turnout topics sync'"
                    : "topic " + tp.topic() + " has only " + count + " partitions on the target; run 'turnout topics sync'"));
            } else if (cut < sb.logStart()) {
                results.put(tp, unresolved(tp, cut, sb, bounds(tp, tgtStart, tgtEnd), null, "source records "
                    + cut + ".." + (sb.logStart() - 1) + " are gone (retention or deletion moved the log start to "
                    + sb.logStart() + ") and the group had not consumed them"));
            } else if (cut > sb.end()) {
                results.put(tp, unresolved(tp, cut, sb, bounds(tp, tgtStart, tgtEnd), null, "committed offset " + cut
                    + " is beyond the source's last stable offset " + sb.end()
                    + " (an open transaction, or a log truncated after the commit)"));
            } else {
                open.add(new Job(tp, cut, options));
            }
        }
        for (int round = 1; round <= MAX_ROUNDS && !open.isEmpty(); round++) {
            runRound(open, srcStart, srcEnd, tgtStart, tgtEnd, sourceConfigs, sourceId, targetId, round);
            List<Job> next = new ArrayList<>();
            for (Job job : open) {
                if (job.result != null) {
                    results.put(job.tp, job.result);
                } else {
                    next.add(job);
                }
            }
            if (!next.isEmpty()) {
                log.debug("Translation round {}: {} partition(s) need wider windows", round, next.size());
            }
            open = next;
        }
        for (Job job : open) {
            results.put(job.tp, unresolved(job.tp, job.cut, bounds(job.tp, srcStart, srcEnd), bounds(job.tp, tgtStart, tgtEnd),
                null, "no conclusive evidence after " + MAX_ROUNDS + " rounds of widening the windows"));
        }
        return results;
    }

    private void runRound(List<Job> jobs, Map<TopicPartition, Long> srcStart, Map<TopicPartition, Long> srcEnd,
                          Map<TopicPartition, Long> tgtStart, Map<TopicPartition, Long> tgtEnd,
                          Map<String, Config> sourceConfigs, String sourceId, String targetId, int round) {
        Map<TopicPartition, Spec<LogRecord>> sourceSpecs = new LinkedHashMap<>();
        for (Job job : jobs) {
            long from = Math.max(srcStart.get(job.tp), job.cut - job.before);
            long to = Math.min(srcEnd.get(job.tp), job.cut + job.after);
            sourceSpecs.put(job.tp, Spec.range(from, to));
        }
        Map<TopicPartition, PartitionReader.Window<LogRecord>> sourceWindows = source.read(sourceSpecs);

        Map<TopicPartition, Long> hints = new HashMap<>();
        for (Job job : jobs) {
            List<LogRecord> records = sourceWindows.get(job.tp).records();
            if (!job.targetFromStart && !records.isEmpty()) {
                hints.put(job.tp, records.stream().mapToLong(LogRecord::timestamp).min().orElseThrow());
            }
        }
        Map<TopicPartition, Long> hinted = target.access().offsetsForTimes(hints);
        Map<TopicPartition, Spec<LogRecord>> targetSpecs = new LinkedHashMap<>();
        for (Job job : jobs) {
            long start = tgtStart.get(job.tp);
            long end = tgtEnd.get(job.tp);
            Long hint = hinted.get(job.tp);
            long from = hint == null ? start : hint < 0 ? end : Math.max(start, hint);
            long newest = sourceWindows.get(job.tp).records().stream().mapToLong(LogRecord::timestamp).max()
                .orElse(Long.MIN_VALUE);
            long stopAfter = newest == Long.MIN_VALUE ? Long.MAX_VALUE : saturatedAdd(newest, options.skew().toMillis());
            // Bounded: the alignment's memory is proportional to source window times target window.
            int max = Math.min(options.maxTarget(), Math.max(job.targetMax, 2 * sourceWindows.get(job.tp).records().size() + 64));
            targetSpecs.put(job.tp, new Spec<>(from, end, max, r -> r.timestamp() > stopAfter));
        }
        Map<TopicPartition, PartitionReader.Window<LogRecord>> targetWindows = target.read(targetSpecs);

        for (Job job : jobs) {
            PartitionReader.Window<LogRecord> sw = sourceWindows.get(job.tp);
            PartitionReader.Window<LogRecord> tw = targetWindows.get(job.tp);
            LogBounds sb = bounds(job.tp, srcStart, srcEnd);
            LogBounds tb = bounds(job.tp, tgtStart, tgtEnd);
            boolean sourceFromStart = sw.start() <= sb.logStart();
            boolean sourceToEnd = sw.complete() && sw.covered() >= sb.end();
            boolean targetFromStart = tw.start() <= tb.logStart();
            boolean targetToEnd = tw.complete() && tw.covered() >= tb.end();
            Aligner.Input input = new Aligner.Input(job.tp, job.cut, sw.records(), sourceFromStart, sourceToEnd,
                tw.records(), targetFromStart, targetToEnd, sourceId, targetId, options.skew().toMillis());
            Aligner.Result r = Aligner.align(input);
            Window window = new Window(sw.start(), sw.covered(), tw.start(), tw.covered());
            boolean canWiden = job.before < options.maxWindow() && !sourceFromStart;
            boolean compacted = sourceConfigs.containsKey(job.tp.topic())
                && source.access().isCompacted(sourceConfigs.get(job.tp.topic()));
            switch (r.outcome()) {
                case CONFLICT -> job.result = unresolved(job.tp, job.cut, sb, tb, r, window, r.detail());
                case AMBIGUOUS -> {
                    if (canWiden || job.after < options.maxWindow() && !sourceToEnd) {
                        widen(job, options);
                    } else {
                        job.result = unresolved(job.tp, job.cut, sb, tb, r, window, "identical records repeat around "
                            + "the cut and content cannot tell which is which: " + r.detail());
                    }
                }
                case NEED_MORE_TARGET -> {
                    if (job.targetMax < options.maxTarget()) {
                        job.targetMax = Math.min(options.maxTarget(), job.targetMax * 4);
                    } else {
                        job.result = unresolved(job.tp, job.cut, sb, tb, r, window, r.detail() + "; read "
                            + tw.records().size() + " target records without finding them");
                    }
                }
                case NO_CONSUMED_COUNTERPART -> noConsumedCounterpart(job, r, sw, tw, sb, tb, window, canWiden, compacted);
                case RESOLVED -> resolved(job, r, sw, sb, tb, window, compacted);
                default -> throw new IllegalStateException(r.outcome().name());
            }
        }
    }

    private void noConsumedCounterpart(Job job, Aligner.Result r, PartitionReader.Window<LogRecord> sw,
                                       PartitionReader.Window<LogRecord> tw, LogBounds sb, LogBounds tb, Window window,
                                       boolean canWiden, boolean compacted) {
        boolean sourceFromStart = sw.start() <= sb.logStart();
        if (!sourceFromStart) {
            if (canWiden) {
                job.before = Math.min(options.maxWindow(), job.before * 4);
                return;
            }
            long consumed = sw.records().stream().filter(x -> x.offset() < job.cut).count();
            job.result = unresolved(job.tp, job.cut, sb, tb, r, window, "none of the " + consumed + " consumed source "
                + "records in offsets " + sw.start() + ".." + (job.cut - 1) + " has a counterpart on the target");
            return;
        }
        long consumed = sw.records().stream().filter(x -> x.offset() < job.cut).count();
        if (r.upperBound() == null && consumed > 0 && !tw.records().isEmpty()) {
            // Not one pair on either side of the cut: nothing relates the two logs, so nothing can be proven.
            job.result = unresolved(job.tp, job.cut, sb, tb, r, window, "no record in the windows around the cut has a "
                + "counterpart on the other cluster (" + sw.records().size() + " source and " + tw.records().size()
                + " target records compared): the clusters hold different data, or values framed by different schema "
                + "registries are compared without schema.registry.url configured for both");
            return;
        }
        // Every source record below the cut is in the window and none has a counterpart. What precedes the first
        // counterpart of an unconsumed record on the target is new to the group, unless the source lost records that
        // the target still holds: retention (log start > 0) or compaction.
        boolean sourceLostRecords = sb.logStart() > 0 || compacted && holes(sw.records(), sb.logStart(), job.cut) > 0;
        if (!sourceLostRecords) {
            job.result = decided(job, r, sb, tb, window, tb.logStart());
            return;
        }
        if (!(tw.start() <= tb.logStart())) {
            job.targetFromStart = true;
            return;
        }
        boolean targetSeen = tw.complete() || r.upperBound() != null;
        if (!targetSeen && job.targetMax < options.maxTarget()) {
            job.targetMax = Math.min(options.maxTarget(), job.targetMax * 4);
            return;
        }
        if (r.unplacedGap().isEmpty() && targetSeen) {
            job.result = decided(job, r, sb, tb, window, tb.logStart());
            return;
        }
        job.result = unresolved(job.tp, job.cut, sb, tb, r, window, (sb.logStart() > 0
            ? "source records before offset " + sb.logStart() + " are gone (retention or deletion)"
            : "compaction removed records before offset " + job.cut + " on the source")
            + " and " + (targetSeen ? r.unplacedGap().size() + " " : "more than " + tw.records().size() + " ")
            + "target records before the first counterpart of an unconsumed record cannot be placed: the group may "
            + "have consumed them on the source");
    }

    private void resolved(Job job, Aligner.Result r, PartitionReader.Window<LogRecord> sw, LogBounds sb, LogBounds tb,
                          Window window, boolean compacted) {
        long t = r.lowerBound();
        if (compacted && !r.unplacedGap().isEmpty()) {
            long from = r.lastConsumedSource() == null ? sw.start() : r.lastConsumedSource().offset() + 1;
            long holes = holes(sw.records(), from, job.cut);
            if (holes > 0) {
                job.result = unresolved(job.tp, job.cut, sb, tb, r, window, "compaction removed " + holes
                    + " record(s) on the source between offsets " + from + " and " + (job.cut - 1) + ", and "
                    + r.unplacedGap().size() + " target record(s) there have no counterpart on the source: cannot tell "
                    + "whether the group consumed them");
                return;
            }
        }
        job.result = decided(job, r, sb, tb, window, t);
    }

    private PartitionOutcome decided(Job job, Aligner.Result r, LogBounds sb, LogBounds tb, Window window, long t) {
        PartitionStatus status;
        String reason;
        if (t <= tb.logStart()) {
            status = PartitionStatus.AT_START;
            reason = r.lastConsumedTarget() == null
                ? "no consumed source record has a counterpart on the target: the group reads the target from its start"
                : "the last consumed record's counterpart is the last record before the target's log start";
            t = tb.logStart();
        } else if (t >= tb.end()) {
            status = PartitionStatus.AT_END;
            reason = "the counterpart of the last consumed record is the target's last record: nothing is left to read";
        } else {
            status = PartitionStatus.EXACT;
            reason = "records before the target offset are the counterparts of the consumed records ("
                + r.matchedBy() + ")";
        }
        return new PartitionOutcome(job.tp, job.cut, status, t, reason, r, sb, tb, window);
    }

    private static void widen(Job job, TranslationOptions options) {
        job.before = Math.min(options.maxWindow(), job.before * 4);
        job.after = Math.min(options.maxWindow(), job.after * 4);
        job.targetMax = Math.min(options.maxTarget(), job.targetMax * 4);
    }

    /** Offsets in [from, to) that hold no committed record in the window: markers, aborted or compacted records. */
    private static long holes(List<LogRecord> records, long from, long to) {
        long present = records.stream().filter(x -> x.offset() >= from && x.offset() < to).count();
        return Math.max(0, to - from - present);
    }

    private PartitionOutcome unresolved(TopicPartition tp, long cut, LogBounds sb, LogBounds tb, Aligner.Result r, String reason) {
        return new PartitionOutcome(tp, cut, PartitionStatus.UNRESOLVED, null, reason, r, sb, tb, null);
    }

    private PartitionOutcome unresolved(TopicPartition tp, long cut, LogBounds sb, LogBounds tb, Aligner.Result r, Window window,
                                String reason) {
        return new PartitionOutcome(tp, cut, PartitionStatus.UNRESOLVED, null, reason, r, sb, tb, window);
    }

    private static LogBounds bounds(TopicPartition tp, Map<TopicPartition, Long> start, Map<TopicPartition, Long> end) {
        return new LogBounds(start.get(tp), end.get(tp));
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
