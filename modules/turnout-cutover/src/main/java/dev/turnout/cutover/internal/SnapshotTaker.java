package dev.turnout.cutover.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import dev.turnout.cutover.GroupSnapshot;
import dev.turnout.cutover.GroupSnapshot.PartitionSnapshot;
import dev.turnout.cutover.RecordEvidence;

/**
 * Reads a group's committed offsets and their evidence from one cluster: log bounds for all partitions in one request
 * each, and the last record below each committed offset from one batched read. Stateless.
 */
public final class SnapshotTaker {

    private static final int LOOKBACK = 64;
    private static final int MAX_LOOKBACK = 64 * 512;

    private SnapshotTaker() {
    }

    public static GroupSnapshot take(ClusterSession session, String group) {
        KafkaAccess access = session.access();
        String clusterId = access.clusterId();
        KafkaAccess.GroupStatus status = access.groupStatus(group);
        Map<TopicPartition, OffsetAndMetadata> committed = access.committedOffsets(group);
        Instant takenAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String id = group + "@" + takenAt;
        String name = access.cluster().name();
        String bootstrap = access.cluster().bootstrap();
        if (committed.isEmpty()) {
            return new GroupSnapshot(id, group, clusterId, name, bootstrap, takenAt, status.state().name(), false, List.of());
        }
        List<TopicPartition> tps = new ArrayList<>(committed.keySet());
        Map<TopicPartition, Long> start = access.earliest(tps);
        Map<TopicPartition, Long> end = access.lastStable(tps);
        Map<TopicPartition, RecordEvidence> last = lastRecordsBelow(session, committed, start, end);
        List<PartitionSnapshot> partitions = new ArrayList<>();
        for (TopicPartition tp : tps) {
            partitions.add(new PartitionSnapshot(tp.topic(), tp.partition(), committed.get(tp).offset(), start.get(tp),
                end.get(tp), last.get(tp)));
        }
        return new GroupSnapshot(id, group, clusterId, name, bootstrap, takenAt, status.state().name(), true, partitions);
    }

    /** The last committed record below each offset, looking further back while only markers or gaps are found. */
    public static Map<TopicPartition, RecordEvidence> lastRecordsBelow(ClusterSession session,
                                                                       Map<TopicPartition, OffsetAndMetadata> committed,
                                                                       Map<TopicPartition, Long> start,
                                                                       Map<TopicPartition, Long> end) {
        Map<TopicPartition, RecordEvidence> found = new HashMap<>();
        Map<TopicPartition, Long> upper = new HashMap<>();
        committed.forEach((tp, om) -> upper.put(tp, Math.min(om.offset(), end.get(tp))));
        for (int back = LOOKBACK; back <= MAX_LOOKBACK && !upper.isEmpty(); back *= 8) {
            Map<TopicPartition, PartitionReader.Spec<LogRecord>> specs = new LinkedHashMap<>();
            for (var e : upper.entrySet()) {
                specs.put(e.getKey(), PartitionReader.Spec.range(Math.max(start.get(e.getKey()), e.getValue() - back),
                    e.getValue()));
            }
            Map<TopicPartition, Long> next = new HashMap<>();
            session.read(specs).forEach((tp, w) -> {
                if (!w.records().isEmpty()) {
                    found.put(tp, evidence(w.records().get(w.records().size() - 1)));
                } else if (w.start() > start.get(tp)) {
                    next.put(tp, w.start());
                }
            });
            upper.clear();
            upper.putAll(next);
        }
        return found;
    }

    public static RecordEvidence evidence(LogRecord r) {
        return r == null ? null : new RecordEvidence(r.offset(), r.timestamp(), r.fingerprint(), r.recordId(),
            r.src() == null ? null : r.src().toString());
    }
}
