package dev.turnout.cutover.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

import dev.turnout.cutover.RecordEvidence;
import dev.turnout.cutover.SourceRef;

/**
 * Compares, per partition, everything a group had not consumed on the source (offsets from the committed offset to the
 * end) with everything it would read on the target from the translated offset: counts of records lost (on the source,
 * not delivered on the target), redelivered (delivered on the target but consumed on the source, or delivered twice)
 * and only on the target. Records are paired as in translation: {@code turnout.src} links, {@code turnout.id},
 * fingerprint; identical records are counted as a multiset. Both suffixes are read whole, all partitions batched per
 * side. Stateless.
 */
public final class SuffixComparator {

    private static final int MAX_LISTED = 20;

    private SuffixComparator() {
    }

    /** The counts for one partition. */
    public record Counts(long lost, long redelivered, long onlyOnTarget, List<RecordEvidence> lostRecords) {
    }

    public static Map<TopicPartition, Counts> compare(ClusterSession source, ClusterSession target,
                                                      Map<TopicPartition, long[]> cuts) {
        Map<TopicPartition, Counts> result = new LinkedHashMap<>();
        if (cuts.isEmpty()) {
            return result;
        }
        String sourceId = source.access().clusterId();
        String targetId = target.access().clusterId();
        List<TopicPartition> tps = new ArrayList<>(cuts.keySet());
        Map<TopicPartition, Long> srcStart = source.access().earliest(tps);
        Map<TopicPartition, Long> srcEnd = source.access().lastStable(tps);
        Map<TopicPartition, Long> tgtEnd = target.access().lastStable(tps);
        Map<TopicPartition, PartitionReader.Spec<LogRecord>> srcSpecs = new LinkedHashMap<>();
        Map<TopicPartition, PartitionReader.Spec<LogRecord>> tgtSpecs = new LinkedHashMap<>();
        cuts.forEach((tp, ct) -> {
            srcSpecs.put(tp, PartitionReader.Spec.range(Math.max(ct[0], srcStart.get(tp)), srcEnd.get(tp)));
            tgtSpecs.put(tp, PartitionReader.Spec.range(ct[1], tgtEnd.get(tp)));
        });
        var srcSuffix = source.read(srcSpecs);
        var tgtSuffix = target.read(tgtSpecs);

        Map<TopicPartition, Map<String, Integer>> surplus = new HashMap<>();
        Map<TopicPartition, long[]> partial = new HashMap<>();
        Map<TopicPartition, List<RecordEvidence>> lostListed = new HashMap<>();
        Map<TopicPartition, Long> prefixFrom = new HashMap<>();
        for (TopicPartition tp : tps) {
            long cut = cuts.get(tp)[0];
            long t = cuts.get(tp)[1];
            List<LogRecord> a = srcSuffix.get(tp).records();
            List<LogRecord> b = tgtSuffix.get(tp).records();
            long redelivered = 0;
            Set<Long> linkedSource = new HashSet<>();
            Set<Long> linkedTarget = new HashSet<>();
            for (LogRecord r : b) {
                if (links(r.src(), sourceId, tp)) {
                    linkedSource.add(r.src().offset());
                }
            }
            for (LogRecord r : a) {
                if (links(r.src(), targetId, tp)) {
                    linkedTarget.add(r.src().offset());
                }
            }
            Map<String, Integer> countA = new HashMap<>();
            Map<String, List<LogRecord>> recordsA = new HashMap<>();
            for (LogRecord r : a) {
                String token = links(r.src(), targetId, tp) ? "T:" + r.src().offset()
                    : linkedSource.contains(r.offset()) ? "S:" + r.offset() : token(r);
                countA.merge(token, 1, Integer::sum);
                recordsA.computeIfAbsent(token, x -> new ArrayList<>()).add(r);
            }
            Map<String, Integer> countB = new HashMap<>();
            Map<String, LogRecord> sampleB = new HashMap<>();
            for (LogRecord r : b) {
                String token;
                if (links(r.src(), sourceId, tp)) {
                    if (r.src().offset() < cut) {
                        redelivered++;
                        continue;
                    }
                    token = "S:" + r.src().offset();
                } else {
                    token = linkedTarget.contains(r.offset()) ? "T:" + r.offset() : token(r);
                }
                countB.merge(token, 1, Integer::sum);
                sampleB.putIfAbsent(token, r);
            }
            long lost = 0;
            List<RecordEvidence> listed = new ArrayList<>();
            for (var e : countA.entrySet()) {
                int missing = e.getValue() - countB.getOrDefault(e.getKey(), 0);
                if (missing > 0) {
                    lost += missing;
                    for (LogRecord r : recordsA.get(e.getKey()).subList(0, Math.min(missing, MAX_LISTED))) {
                        if (listed.size() < MAX_LISTED) {
                            listed.add(SnapshotTaker.evidence(r));
                        }
                    }
                }
            }
            listed.sort((x, y) -> Long.compare(x.offset(), y.offset()));
            Map<String, Integer> extra = new HashMap<>();
            long minTs = Long.MAX_VALUE;
            for (var e : countB.entrySet()) {
                int more = e.getValue() - countA.getOrDefault(e.getKey(), 0);
                if (more > 0) {
                    if (countA.containsKey(e.getKey())) {
                        redelivered += more;
                    } else {
                        extra.put(e.getKey(), more);
                        minTs = Math.min(minTs, sampleB.get(e.getKey()).timestamp());
                    }
                }
            }
            partial.put(tp, new long[] {lost, redelivered});
            lostListed.put(tp, listed);
            if (!extra.isEmpty()) {
                surplus.put(tp, extra);
                prefixFrom.put(tp, minTs);
            }
        }
        // Records only the target suffix has: delivered twice if the group consumed them on the source.
        Map<TopicPartition, Long> hinted = source.access().offsetsForTimes(prefixFrom);
        Map<TopicPartition, PartitionReader.Spec<LogRecord>> prefixSpecs = new LinkedHashMap<>();
        hinted.forEach((tp, offset) -> {
            long from = offset < 0 ? cuts.get(tp)[0] : Math.max(srcStart.get(tp), offset);
            prefixSpecs.put(tp, PartitionReader.Spec.range(from, Math.min(cuts.get(tp)[0], srcEnd.get(tp))));
        });
        var prefixes = source.read(prefixSpecs);
        for (TopicPartition tp : tps) {
            long[] counts = partial.get(tp);
            long onlyOnTarget = 0;
            Map<String, Integer> extra = surplus.getOrDefault(tp, Map.of());
            Map<String, Integer> inPrefix = new HashMap<>();
            if (prefixes.containsKey(tp)) {
                for (LogRecord r : prefixes.get(tp).records()) {
                    inPrefix.merge(token(r), 1, Integer::sum);
                }
            }
            for (var e : extra.entrySet()) {
                int consumed = Math.min(e.getValue(), inPrefix.getOrDefault(e.getKey(), 0));
                counts[1] += consumed;
                onlyOnTarget += e.getValue() - consumed;
            }
            result.put(tp, new Counts(counts[0], counts[1], onlyOnTarget, lostListed.get(tp)));
        }
        return result;
    }

    private static boolean links(SourceRef src, String clusterId, TopicPartition tp) {
        return src != null && src.clusterId().equals(clusterId) && src.topic().equals(tp.topic())
            && src.partition() == tp.partition();
    }

    private static String token(LogRecord r) {
        return r.recordId() != null ? "I:" + r.recordId() : "F:" + r.fingerprint();
    }
}
