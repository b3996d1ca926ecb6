package dev.turnout.cutover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
import dev.turnout.cutover.OffsetChange.Action;
import dev.turnout.cutover.internal.KafkaAccess;

/**
 * Moves an inactive group's committed offsets on one cluster to a saved snapshot, a point in time, a shift, or offsets
 * from a file, and exports them in the CSV form {@code kafka-consumer-groups --reset-offsets --from-file} reads.
 *
 * <p>Every method computes a {@link Replay} without changing anything; {@link #execute} commits it, refusing while the
 * group has active members. Offsets are clamped to the log (log start .. last stable offset) except when replaying a
 * snapshot, whose offsets are kept as they were and flagged when the log no longer reaches them. Not thread-safe; owns
 * its admin client.
 */
public final class OffsetReplayer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OffsetReplayer.class);

    private final KafkaAccess access;

    public OffsetReplayer(ClusterConnection cluster, Duration timeout) {
        this.access = new KafkaAccess(cluster, timeout);
    }

    /** A computed replay: what each partition's commit becomes. */
    public record Replay(String group, String cluster, String description, List<OffsetChange> changes) {

        public Replay {
            changes = List.copyOf(changes);
        }

        /** Whether any partition is left unchanged because its offset could not be determined. */
        public boolean hasUnresolved() {
            return changes.stream().anyMatch(c -> c.action() == Action.SKIP && c.note() != null
                && c.note().startsWith("UNRESOLVED"));
        }
    }

    /** The id of the cluster whose offsets this replayer moves. */
    public String clusterId() {
        return access.clusterId();
    }

    /** Back (or forward) to the snapshot's offsets; the snapshot must have been taken on this cluster. */
    public Replay toSnapshot(String group, GroupSnapshot snapshot) {
        if (!snapshot.clusterId().equals(access.clusterId())) {
            throw new CutoverException(Kind.INVALID_INPUT, "Snapshot " + snapshot.id() + " was taken on cluster id "
                + snapshot.clusterId() + ", not on " + access.cluster() + " (" + access.clusterId()
                + "); translate it first");
        }
        Map<TopicPartition, Long> wanted = new HashMap<>(snapshot.committedOffsets());
        return replay(group, "snapshot " + snapshot.id(), wanted, true, Map.of());
    }

    /** To the offsets of a plan translated from a snapshot taken on another cluster. */
    public Replay toTranslated(String group, TranslationPlan plan) {
        Map<TopicPartition, Long> wanted = new HashMap<>();
        Map<TopicPartition, String> unresolved = new HashMap<>();
        for (TranslationPlan.PartitionPlan p : plan.partitions()) {
            TopicPartition tp = new TopicPartition(p.topic(), p.partition());
            if (p.status().isResolved()) {
                wanted.put(tp, p.targetOffset());
            } else {
                unresolved.put(tp, p.reason());
            }
        }
        return replay(group, "snapshot " + plan.snapshotId() + " translated from " + plan.source().name(), wanted, true,
            unresolved);
    }

    /** To the first offset whose record timestamp is at or after {@code time} (the end when there is none). */
    public Replay toDateTime(String group, Instant time) {
        Map<TopicPartition, OffsetAndMetadata> current = requireCommits(group);
        Map<TopicPartition, Long> times = new HashMap<>();
        current.keySet().forEach(tp -> times.put(tp, time.toEpochMilli()));
        Map<TopicPartition, Long> found = access.offsetsForTimes(times);
        Map<TopicPartition, Long> ends = access.lastStable(current.keySet());
        Map<TopicPartition, Long> wanted = new HashMap<>();
        found.forEach((tp, o) -> wanted.put(tp, o < 0 ? ends.get(tp) : o));
        return replay(group, "time " + time, wanted, false, Map.of());
    }

    /** Each committed offset moved by {@code shift} records' offsets (negative rewinds), within the log. */
    public Replay shiftBy(String group, long shift) {
        Map<TopicPartition, OffsetAndMetadata> current = requireCommits(group);
        Map<TopicPartition, Long> wanted = new HashMap<>();
        current.forEach((tp, om) -> wanted.put(tp, om.offset() + shift));
        return replay(group, "shift by " + shift, wanted, false, Map.of());
    }

    /** To explicit offsets (from a CSV file). */
    public Replay toOffsets(String group, Map<TopicPartition, Long> offsets, String description) {
        return replay(group, description, new HashMap<>(offsets), false, Map.of());
    }

    private Map<TopicPartition, OffsetAndMetadata> requireCommits(String group) {
        Map<TopicPartition, OffsetAndMetadata> current = access.committedOffsets(group);
        if (current.isEmpty()) {
            throw new CutoverException(Kind.INVALID_INPUT, "Group " + group + " has no committed offsets on "
                + access.cluster() + ": nothing to move by time or shift");
        }
        return current;
    }

    private Replay replay(String group, String description, Map<TopicPartition, Long> wanted, boolean exact,
                          Map<TopicPartition, String> unresolved) {
        Map<TopicPartition, OffsetAndMetadata> current = access.committedOffsets(group);
        Set<TopicPartition> tps = new HashSet<>(wanted.keySet());
        tps.addAll(unresolved.keySet());
        Map<String, Integer> counts = access.partitionCounts(tps.stream().map(TopicPartition::topic).distinct().toList());
        List<TopicPartition> existing = tps.stream().filter(tp -> counts.getOrDefault(tp.topic(), 0) > tp.partition()).toList();
        Map<TopicPartition, Long> starts = access.earliest(existing);
        Map<TopicPartition, Long> ends = access.lastStable(existing);
        List<OffsetChange> changes = new ArrayList<>();
        for (TopicPartition tp : tps) {
            Long now = current.containsKey(tp) ? current.get(tp).offset() : null;
            if (unresolved.containsKey(tp)) {
                changes.add(new OffsetChange(tp.topic(), tp.partition(), now, null, null, Action.SKIP,
                    "UNRESOLVED: " + unresolved.get(tp)));
                continue;
            }
            if (!starts.containsKey(tp)) {
                throw new CutoverException(Kind.INVALID_INPUT, "Partition " + tp + " does not exist on " + access.cluster());
            }
            long start = starts.get(tp);
            long end = ends.get(tp);
            long offset = wanted.get(tp);
            String note = null;
            if (!exact) {
                offset = Math.max(start, Math.min(end, offset));
            } else if (offset < start) {
                note = "below the log start " + start + ": records are gone; consumers will reset per auto.offset.reset";
            } else if (offset > end) {
                note = "beyond the end " + end;
            }
            changes.add(new OffsetChange(tp.topic(), tp.partition(), now, offset, Math.max(0, end - offset),
                Long.valueOf(offset).equals(now) ? Action.SKIP : Action.COMMIT, note));
        }
        if (exact) {
            // Back to the snapshot exactly: partitions it has no commit for lose theirs.
            current.forEach((tp, om) -> {
                if (!tps.contains(tp)) {
                    changes.add(new OffsetChange(tp.topic(), tp.partition(), om.offset(), null, null, Action.DELETE,
                        "no commit in the snapshot"));
                }
            });
        }
        changes.sort((x, y) -> x.topic().equals(y.topic()) ? Integer.compare(x.partition(), y.partition())
            : x.topic().compareTo(y.topic()));
        return new Replay(group, access.cluster().toString(), description, changes);
    }

    /** Commits the replay; refuses while the group has active members, or unresolved partitions unless allowed. */
    public void execute(Replay replay, boolean allowUnresolved) {
        KafkaAccess.GroupStatus status = access.groupStatus(replay.group());
        if (status.isActive()) {
            throw new CutoverException(Kind.REFUSED, "Refusing to move offsets: group " + replay.group() + " has "
                + status.members() + " active member(s) on " + access.cluster() + " (state " + status.state()
                + "); stop its consumers first");
        }
        if (replay.hasUnresolved() && !allowUnresolved) {
            throw new CutoverException(Kind.REFUSED, "Refusing to move offsets: some partitions are UNRESOLVED; pass "
                + "--allow-unresolved to move the others");
        }
        Map<TopicPartition, OffsetAndMetadata> commits = new LinkedHashMap<>();
        Set<TopicPartition> deletes = new HashSet<>();
        for (OffsetChange c : replay.changes()) {
            if (c.action() == Action.COMMIT) {
                commits.put(new TopicPartition(c.topic(), c.partition()),
                    new OffsetAndMetadata(c.proposed(), "turnout replay: " + replay.description()));
            } else if (c.action() == Action.DELETE) {
                deletes.add(new TopicPartition(c.topic(), c.partition()));
            }
        }
        if (!commits.isEmpty()) {
            access.call("commit offsets of group " + replay.group(),
                access.admin().alterConsumerGroupOffsets(replay.group(), commits).all());
        }
        if (!deletes.isEmpty()) {
            access.call("delete offsets of group " + replay.group(),
                access.admin().deleteConsumerGroupOffsets(replay.group(), deletes).all());
        }
        log.info("Replayed group {} on {} to {}: {} offset(s) committed, {} deleted", replay.group(), access.cluster(),
            replay.description(), commits.size(), deletes.size());
    }

    /** The group's committed offsets as {@code topic,partition,offset} lines, sorted. */
    public String exportCsv(String group) {
        return access.committedOffsets(group).entrySet().stream()
            .sorted(Map.Entry.comparingByKey((x, y) -> x.topic().equals(y.topic())
                ? Integer.compare(x.partition(), y.partition()) : x.topic().compareTo(y.topic())))
            .map(e -> e.getKey().topic() + "," + e.getKey().partition() + "," + e.getValue().offset() + "\n")
            .collect(Collectors.joining());
    }

    /** Reads {@code topic,partition,offset} lines (blank lines and {@code #} comments ignored). */
    public static Map<TopicPartition, Long> readCsv(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new CutoverException(Kind.INVALID_INPUT, file + ": no such file");
        } catch (IOException e) {
            throw new CutoverException(Kind.INVALID_INPUT, file + ": cannot read: " + e.getMessage(), e);
        }
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(",");
            try {
                if (parts.length != 3) {
                    throw new NumberFormatException("expected 3 fields");
                }
                offsets.put(new TopicPartition(parts[0].strip(), Integer.parseInt(parts[1].strip())),
                    Long.parseLong(parts[2].strip()));
            } catch (NumberFormatException e) {
                throw new CutoverException(Kind.INVALID_INPUT, file + ":" + (i + 1) + ": expected topic,partition,offset, got \""
                    + line + "\"");
            }
        }
        return offsets;
    }

    /** Whether the file looks like JSON (a snapshot) rather than CSV. */
    public static boolean isJson(Path file) {
        try {
            Optional<String> first = Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).findFirst();
            return first.isPresent() && first.get().startsWith("{");
        } catch (IOException e) {
            throw new CutoverException(Kind.INVALID_INPUT, file + ": cannot read: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        access.close();
    }
}
