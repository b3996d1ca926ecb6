package dev.turnout.cutover.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import org.apache.avro.util.ClassSecurityValidator;

import dev.turnout.cutover.CutoverException;
import dev.turnout.cutover.CutoverException.Kind;
import dev.turnout.cutover.GroupSnapshot;
import dev.turnout.cutover.GroupSnapshot.PartitionSnapshot;
import dev.turnout.cutover.RecordEvidence;
import dev.turnout.schemas.offsets.CutoverCertificate;
import dev.turnout.schemas.offsets.OffsetSnapshot;
import dev.turnout.schemas.offsets.PartitionOffsets;
import dev.turnout.schemas.offsets.RecordFingerprint;

/**
 * Snapshots and certificates as stored in {@code turnout.offsets.snapshots}: Avro single-object encoding of the classes
 * generated from {@code schemas/*.avsc}, so readers need no schema registry (the 10-byte header carries the schema
 * fingerprint). Stateless.
 */
public final class SnapshotCodec {

    static {
        // Avro 1.12 only instantiates classes it trusts when decoding; trust exactly these generated ones, in addition
        // to whatever the application already trusts.
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(),
            ClassSecurityValidator.builder().add(OffsetSnapshot.class).add(PartitionOffsets.class)
                .add(RecordFingerprint.class).add(CutoverCertificate.class).build()));
    }

    private SnapshotCodec() {
    }

    public static byte[] encode(GroupSnapshot s) {
        List<PartitionOffsets> partitions = s.partitions().stream().map(p -> PartitionOffsets.newBuilder()
            .setTopic(p.topic())
            .setPartition(p.partition())
            .setCommittedOffset(p.committedOffset())
            .setLogStartOffset(p.logStartOffset())
            .setLogEndOffset(p.logEndOffset())
            .setLastConsumed(p.lastConsumed() == null ? null : RecordFingerprint.newBuilder()
                .setOffset(p.lastConsumed().offset())
                .setTimestamp(p.lastConsumed().timestamp())
                .setFingerprint(p.lastConsumed().fingerprint())
                .setRecordId(p.lastConsumed().recordId())
                .build())
            .build()).toList();
        OffsetSnapshot avro = OffsetSnapshot.newBuilder()
            .setId(s.id())
            .setGroup(s.group())
            .setClusterId(s.clusterId())
            .setClusterName(s.clusterName())
            .setBootstrap(s.bootstrap())
            .setTakenAt(s.takenAt())
            .setGroupState(s.groupState())
            .setHasCommits(s.hasCommits())
            .setPartitions(partitions)
            .build();
        return bytes(() -> avro.toByteBuffer(), "snapshot " + s.id());
    }

    public static GroupSnapshot decodeSnapshot(byte[] bytes) {
        OffsetSnapshot a;
        try {
            a = OffsetSnapshot.fromByteBuffer(ByteBuffer.wrap(bytes));
        } catch (IOException | RuntimeException e) {
            throw new CutoverException(Kind.INVALID_INPUT, "Not an offset snapshot record: " + e.getMessage(), e);
        }
        List<PartitionSnapshot> partitions = a.getPartitions().stream().map(p -> new PartitionSnapshot(p.getTopic(),
            p.getPartition(), p.getCommittedOffset(), p.getLogStartOffset(), p.getLogEndOffset(),
            p.getLastConsumed() == null ? null : new RecordEvidence(p.getLastConsumed().getOffset(),
                p.getLastConsumed().getTimestamp(), p.getLastConsumed().getFingerprint(),
                p.getLastConsumed().getRecordId(), null))).toList();
        return new GroupSnapshot(a.getId(), a.getGroup(), a.getClusterId(), a.getClusterName(), a.getBootstrap(),
            a.getTakenAt(), a.getGroupState(), a.getHasCommits(), partitions);
    }

    public static byte[] encode(CutoverCertificate certificate) {
        return bytes(() -> certificate.toByteBuffer(), "certificate " + certificate.getId());
    }

    public static CutoverCertificate decodeCertificate(byte[] bytes) {
        try {
            return CutoverCertificate.fromByteBuffer(ByteBuffer.wrap(bytes));
        } catch (IOException | RuntimeException e) {
            throw new CutoverException(Kind.INVALID_INPUT, "Not a cutover certificate record: " + e.getMessage(), e);
        }
    }

    private interface Encoder {
        ByteBuffer encode() throws IOException;
    }

    private static byte[] bytes(Encoder encoder, String what) {
        try {
            ByteBuffer buffer = encoder.encode();
            byte[] out = new byte[buffer.remaining()];
            buffer.get(out);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode " + what, e);
        }
    }
}
