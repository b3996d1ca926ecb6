package dev.turnout.cutover;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.cutover.CutoverException.Kind;
import dev.turnout.cutover.internal.ClusterSession;
import dev.turnout.cutover.internal.Json;
import dev.turnout.cutover.internal.KafkaAccess;
import dev.turnout.cutover.internal.SnapshotCodec;
import dev.turnout.cutover.internal.SnapshotTaker;
import dev.turnout.cutover.internal.SnapshotTopic;
import dev.turnout.schemas.offsets.CutoverCertificate;

/**
 * Moves one consumer group from a source cluster to a target cluster: waits until the group is empty on the source,
 * snapshots it, translates the snapshot, checks that nothing would be lost or delivered twice, commits the offsets on
 * the target, verifies them, and stores the certificate in {@value TurnoutHeaders#SNAPSHOTS_TOPIC} on the target and in
 * a file. Rollback is the same operation with the clusters swapped.
 *
 * <p>Without {@code execute} nothing is written anywhere: the result shows what would be committed. The calling thread
 * does all the work; waits poll the cluster every half second. A crash before the commit on the target leaves it
 * untouched; a crash after it leaves the committed offsets (the certificate is missing and the command can be run again:
 * it will find the offsets already in place).
 */
public final class Cutover {

    private static final Logger log = LoggerFactory.getLogger(Cutover.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private Cutover() {
    }

    /**
     * How to run a cutover.
     *
     * @param waitEmpty       how long to wait for the group's consumers on the source to stop
     * @param fullCheck       compare the whole unconsumed suffix before committing (recommended)
     * @param settle          how long records may take to reach the target (a dual publisher's journal draining) before
     *                        records missing there count as lost
     * @param certificateFile where to write the certificate JSON; null for none
     */
    public record Options(String group, Duration waitEmpty, boolean execute, boolean allowUnresolved, boolean fullCheck,
                          Duration settle, Path certificateFile, TranslationOptions translation) {
        public Options {
            Objects.requireNonNull(group, "group");
            if (waitEmpty.isNegative() || settle.isNegative()) {
                throw new IllegalArgumentException("waitEmpty and settle must not be negative");
            }
        }
    }

    public enum Outcome {
        /** Dry run: nothing was written. */
        DRY_RUN,
        /** Offsets committed on the target and verified. */
        COMPLETED,
        /** A safety check stopped the cutover before anything was committed. */
        REFUSED,
        /** Offsets were committed but verification found a problem. */
        VERIFICATION_FAILED
    }

    /** The certificate file's content: the plan, both checks and the timing. */
    public record Certificate(String id, TranslationPlan plan, VerificationReport precheck,
                              VerificationReport verification, boolean applied, Long consumersStoppedMillis) {
    }

    /**
     * What happened.
     *
     * @param consumersStopped from the group seen empty on the source to the offsets committed on the target; null when
     *                         nothing was committed
     */
    public record Result(Outcome outcome, String message, GroupSnapshot snapshot, TranslationPlan plan,
                         OffsetApplier.Preview changes, VerificationReport precheck, VerificationReport verification,
                         Duration consumersStopped, Path certificateFile) {
    }

    public static Result run(ClusterConnection from, ClusterConnection to, Options options, Consumer<String> progress) {
        Duration timeout = options.translation().timeout();
        String group = options.group();
        try (ClusterSession source = new ClusterSession(from, timeout);
             ClusterSession target = new ClusterSession(to, timeout);
             OffsetTranslator translator = new OffsetTranslator(from, to, options.translation());
             PlanVerifier verifier = new PlanVerifier(from, to, options.translation());
             OffsetApplier applier = new OffsetApplier(to, timeout)) {
            source.access().clusterId();
            target.access().clusterId();
            progress.accept("Waiting up to " + options.waitEmpty().toSeconds() + " s for group " + group
                + " to have no active members on " + from);
            Instant emptySince = awaitEmpty(source.access(), group, options.waitEmpty(), progress);
            KafkaAccess.GroupStatus onTarget = target.access().groupStatus(group);
            if (onTarget.isActive()) {
                return refused(options, "group " + group + " has " + onTarget.members() + " active member(s) on " + to
                    + ": stop them before cutting over", null, null, null, null);
            }
            GroupSnapshot snapshot = SnapshotTaker.take(source, group);
            progress.accept("Snapshot " + snapshot.id() + ": " + snapshot.partitions().size() + " partition(s)"
                + (snapshot.hasCommits() ? "" : ", the group has no committed offsets"));
            if (options.execute()) {
                new SnapshotTopic(source).write(SnapshotTopic.SNAPSHOT_PREFIX + snapshot.id(), SnapshotCodec.encode(snapshot));
            }
            TranslationPlan plan = translator.translate(snapshot);
            progress.accept("Translated: " + plan.summary().exact() + " exact, " + plan.summary().atStart() + " at start, "
                + plan.summary().atEnd() + " at end, " + plan.summary().unresolved() + " unresolved");
            if (!plan.unresolved().isEmpty() && !options.allowUnresolved()) {
                return refused(options, plan.unresolved().size() + " partition(s) are UNRESOLVED; nothing was committed",
                    snapshot, plan, null, null);
            }
            VerificationReport precheck = null;
            if (options.fullCheck()) {
                progress.accept("Comparing the unconsumed records on both clusters");
                precheck = settledFullCheck(verifier, plan, options.settle());
                if (precheck.lost() > 0 || precheck.redelivered() > 0) {
                    return refused(options, "cutting over now would lose " + precheck.lost() + " and redeliver "
                        + precheck.redelivered() + " record(s); nothing was committed", snapshot, plan, null, precheck);
                }
            }
            OffsetApplier.Preview preview = applier.preview(plan, options.allowUnresolved());
            if (preview.refusal().isPresent()) {
                return refused(options, preview.refusal().get(), snapshot, plan, preview, precheck);
            }
            if (!options.execute()) {
                return new Result(Outcome.DRY_RUN, "dry run: nothing was written; add --execute to cut over", snapshot,
                    plan, preview, precheck, null, null, null);
            }
            applier.apply(plan, options.allowUnresolved());
            Instant applied = Instant.now();
            Duration stopped = Duration.between(emptySince, applied);
            progress.accept("Committed offsets of group " + group + " on " + to);
            VerificationReport verification = verifier.verify(plan, false);
            List<String> problems = new ArrayList<>(committedProblems(target.access(), plan));
            problems.addAll(sourceMovedProblems(source.access(), snapshot));
            // Unresolved partitions were left alone on purpose when allowed; everything else must check out.
            boolean ok = problems.isEmpty() && verification.partitions().stream()
                .allMatch(p -> p.ok() || !p.status().isResolved() && options.allowUnresolved());
            Certificate certificate = new Certificate(plan.id(), plan, precheck, verification, true, stopped.toMillis());
            Path file = options.certificateFile();
            if (file != null) {
                Json.writeFile(certificate, file);
            }
            new SnapshotTopic(target).write(SnapshotTopic.CERTIFICATE_PREFIX + plan.id(), SnapshotCodec.encode(
                CutoverCertificate.newBuilder()
                    .setId(plan.id())
                    .setGroup(group)
                    .setSourceClusterId(plan.source().clusterId())
                    .setTargetClusterId(plan.target().clusterId())
                    .setSnapshotId(snapshot.id())
                    .setCreatedAt(plan.createdAt())
                    .setApplied(true)
                    .setVerified(ok)
                    .setConsumersStoppedMillis(stopped.toMillis())
                    .setPlanJson(Json.write(plan))
                    .build()));
            log.info("Cutover of group {} from {} to {}: {} (consumers stopped {} ms)", group, from, to,
                ok ? "verified" : "VERIFICATION FAILED", stopped.toMillis());
            String message = ok ? "group " + group + " cut over to " + to + " and verified"
                : "offsets were committed but verification failed: " + String.join("; ", problems.isEmpty()
                    ? List.of("see the certificate") : problems);
            return new Result(ok ? Outcome.COMPLETED : Outcome.VERIFICATION_FAILED, message, snapshot, plan, preview,
                precheck, verification, stopped, file);
        }
    }

    private static Result refused(Options options, String why, GroupSnapshot snapshot, TranslationPlan plan,
                                  OffsetApplier.Preview preview, VerificationReport precheck) {
        Path file = options.certificateFile();
        if (file != null && plan != null) {
            Json.writeFile(new Certificate(plan.id(), plan, precheck, null, false, null), file);
        }
        return new Result(Outcome.REFUSED, why, snapshot, plan, preview, precheck, null, null, plan == null ? null : file);
    }

    private static Instant awaitEmpty(KafkaAccess source, String group, Duration wait, Consumer<String> progress) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean told = false;
        while (true) {
            KafkaAccess.GroupStatus status = source.groupStatus(group);
            if (!status.isActive()) {
                return Instant.now();
            }
            if (!told) {
                progress.accept("Group " + group + " has " + status.members() + " active member(s) on " + source.cluster()
                    + "; waiting for them to stop");
                told = true;
            }
            if (System.nanoTime() >= deadline) {
                throw new CutoverException(Kind.REFUSED, "Group " + group + " still has " + status.members()
                    + " active member(s) on " + source.cluster() + " (state " + status.state() + ") after waiting "
                    + wait.toSeconds() + " s; stop its consumers (or wait longer with --wait-empty)");
            }
            pause();
        }
    }

    private static VerificationReport settledFullCheck(PlanVerifier verifier, TranslationPlan plan, Duration settle) {
        long deadline = System.nanoTime() + settle.toNanos();
        VerificationReport report = verifier.verify(plan, true);
        while (report.lost() > 0 && System.nanoTime() < deadline) {
            pause();
            report = verifier.verify(plan, true);
        }
        return report;
    }

    private static List<String> committedProblems(KafkaAccess target, TranslationPlan plan) {
        Map<TopicPartition, OffsetAndMetadata> committed = target.committedOffsets(plan.group());
        List<String> problems = new ArrayList<>();
        for (TranslationPlan.PartitionPlan p : plan.partitions()) {
            if (p.status().isResolved()) {
                OffsetAndMetadata om = committed.get(new TopicPartition(p.topic(), p.partition()));
                if (om == null || om.offset() != p.targetOffset()) {
                    problems.add(p.topic() + "-" + p.partition() + " committed " + (om == null ? "nothing" : om.offset())
                        + ", planned " + p.targetOffset());
                }
            }
        }
        return problems;
    }

    private static List<String> sourceMovedProblems(KafkaAccess source, GroupSnapshot snapshot) {
        List<String> problems = new ArrayList<>();
        KafkaAccess.GroupStatus status = source.groupStatus(snapshot.group());
        if (status.isActive()) {
            problems.add("group " + snapshot.group() + " became active again on " + source.cluster()
                + " during the cutover");
        }
        Map<TopicPartition, OffsetAndMetadata> now = source.committedOffsets(snapshot.group());
        Map<TopicPartition, Long> then = snapshot.committedOffsets();
        now.forEach((tp, om) -> {
            if (!Long.valueOf(om.offset()).equals(then.get(tp))) {
                problems.add(tp + " moved on the source during the cutover (" + then.get(tp) + " -> " + om.offset() + ")");
            }
        });
        return problems;
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CutoverException(Kind.FAILED, "Interrupted while waiting", e);
        }
    }
}
