package dev.turnout.cutover;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.turnout.cutover.internal.ClusterSession;
import dev.turnout.cutover.internal.Json;
import dev.turnout.cutover.internal.SnapshotCodec;
import dev.turnout.cutover.internal.SnapshotTaker;
import dev.turnout.cutover.internal.SnapshotTopic;

/**
 * Takes, stores and finds {@link GroupSnapshot}s on one cluster. Snapshots are stored in the compacted topic
 * {@value TurnoutHeaders#SNAPSHOTS_TOPIC} of the cluster they were taken on (created on first use) under
 * {@code snapshot/<id>}, Avro single-object encoded, and can be written to and read from JSON files.
 *
 * <p>Taking a snapshot reads committed offsets, log bounds and the last consumed record of every partition in batched
 * requests; it changes nothing on the cluster. Not thread-safe; owns its clients, {@link #close()} closes them.
 */
public final class OffsetSnapshots implements AutoCloseable {

    private final ClusterSession session;

    public OffsetSnapshots(ClusterConnection cluster, Duration timeout) {
        this.session = new ClusterSession(cluster, timeout);
    }

    /** Reads the group's committed offsets and evidence now. A group without commits gives {@code hasCommits=false}. */
    public GroupSnapshot take(String group) {
        return SnapshotTaker.take(session, group);
    }

    /** Stores the snapshot in {@value TurnoutHeaders#SNAPSHOTS_TOPIC} on this cluster. */
    public void store(GroupSnapshot snapshot) {
        new SnapshotTopic(session).write(SnapshotTopic.SNAPSHOT_PREFIX + snapshot.id(), SnapshotCodec.encode(snapshot));
    }

    /** The stored snapshot with this id, if any. */
    public Optional<GroupSnapshot> find(String id) {
        return new SnapshotTopic(session).find(SnapshotTopic.SNAPSHOT_PREFIX + id).map(SnapshotCodec::decodeSnapshot);
    }

    /** Stored snapshots of a group, oldest first. */
    public List<GroupSnapshot> list(String group) {
        List<GroupSnapshot> found = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : new SnapshotTopic(session).readAll().entrySet()) {
            if (e.getKey().startsWith(SnapshotTopic.SNAPSHOT_PREFIX)) {
                GroupSnapshot s = SnapshotCodec.decodeSnapshot(e.getValue());
                if (s.group().equals(group)) {
                    found.add(s);
                }
            }
        }
        return found;
    }

    public static void writeFile(GroupSnapshot snapshot, Path file) {
        Json.writeFile(snapshot, file);
    }

    public static GroupSnapshot readFile(Path file) {
        return Json.readFile(file, GroupSnapshot.class, "Turnout offset snapshot (JSON)");
    }

    @Override
    public void close() {
        session.close();
    }
}
