package dev.turnout.reconcile.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import dev.turnout.capture.SlotInspector;
import dev.turnout.core.TopicNames;
import dev.turnout.core.config.TableId;
import dev.turnout.core.config.TurnoutConfig;
import dev.turnout.transform.stream.TransformSettings;

/**
 * Waits until the pipeline has carried every source change up to a position into the target, in three steps, each
 * polled until a deadline shared by all three:
 *
 * <ol>
 *   <li><b>Capture</b> has passed the position: the replication slot's confirmed position is at or beyond it (capture
 *       confirms only what Kafka holds). A Debezium {@code log} signal is written to capture's signal table first, so
 *       a change lies beyond the position even when the captured tables are quiet.</li>
 *   <li><b>The transform</b> has consumed the CDC topics up to their ends as they were then (read_committed end
 *       offsets against the committed offsets of {@code turnout-<pipeline>-transform}).</li>
 *   <li><b>The applier</b> has applied the apply topics up to their ends as they were then: {@code turnout_offsets} in
 *       the target, which the applier writes in the same transaction as the rows, holds a next offset at or beyond each
 *       end for group {@code turnout-<pipeline>-apply}.</li>
 * </ol>
 * A step that does not finish in time fails with a message naming the step, how far it got and what to check.
 */
final class PipelineWait implements AutoCloseable {

    /** The applier's consumed offsets in the target (written in the same transaction as the rows). */
    static final String OFFSETS_QUERY = "SELECT topic, partition, next_offset FROM public.turnout_offsets "
        + "WHERE group_id = ?";
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration REQUEST = Duration.ofSeconds(30);

    private final TurnoutConfig config;
    private final List<TableId> sources;
    private final List<TableId> targets;
    private final Connection target;
    private final Duration timeout;
    private final VerifyProgress progress;
    private final Admin admin;
    private final SlotInspector slots;

    PipelineWait(TurnoutConfig config, List<TableId> sources, List<TableId> targets, Connection target,
                 Duration timeout, VerifyProgress progress) {
        this.config = config;
        this.sources = List.copyOf(sources);
        this.targets = List.copyOf(targets);
        this.target = target;
        this.timeout = timeout;
        this.progress = progress;
        Map<String, Object> client = new HashMap<>(config.kafka().properties());
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrap());
        client.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REQUEST.toMillis());
        this.admin = Admin.create(client);
        this.slots = new SlotInspector(config.source().url(), config.source().user(), config.source().password().reveal());
    }

    /** Returns once the pipeline has passed {@code position}; throws {@link VerifyException} when it does not in time. */
    void passed(long position, String positionText) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String pipeline = config.pipeline();
        mark(positionText);
        String slot = TopicNames.slot(pipeline);
        progress.phase("waiting for capture to pass " + positionText);
        String[] last = {"no slot"};
        poll(deadline, () -> {
            Optional<SlotInspector.SlotState> state = slots.slot(slot);
            if (state.isEmpty()) {
                last[0] = "replication slot " + slot + " does not exist";
                return false;
            }
            last[0] = "slot " + slot + " has confirmed " + state.get().confirmedFlushLsn();
            return lsn(state.get().confirmedFlushLsn()) >= position;
        }, () -> "capture did not pass source position " + positionText + " within " + human(timeout) + " (" + last[0]
            + "); is turnout capture (or turnout run) running?");

        List<String> cdc = sources.stream().map(t -> TopicNames.cdc(pipeline, t)).toList();
        Map<TopicPartition, Long> cdcEnds = ends(cdc);
        String group = TransformSettings.from(config, "unused").applicationId();
        progress.phase("waiting for the transform to consume " + cdcEnds.values().stream().mapToLong(Long::longValue)
            .sum() + " CDC records");
        poll(deadline, () -> {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(REQUEST.toSeconds(), TimeUnit.SECONDS);
            last[0] = behind(cdcEnds, tp -> Optional.ofNullable(committed.get(tp)).map(OffsetAndMetadata::offset));
            return last[0].isEmpty();
        }, () -> "the transform (consumer group " + group + ") did not catch up with the CDC topics within "
            + human(timeout) + ": " + last[0] + "; is the transform (turnout run) running?");

        List<String> apply = targets.stream().map(t -> TopicNames.apply(pipeline, t)).toList();
        Map<TopicPartition, Long> applyEnds = ends(apply);
        String applyGroup = TopicNames.applyGroup(pipeline);
        progress.phase("waiting for the applier to apply " + applyEnds.values().stream().mapToLong(Long::longValue)
            .sum() + " apply records");
        poll(deadline, () -> {
            Map<TopicPartition, Long> applied = appliedOffsets(applyGroup);
            last[0] = behind(applyEnds, tp -> Optional.ofNullable(applied.get(tp)));
            return last[0].isEmpty();
        }, () -> "the applier (group " + applyGroup + ", turnout_offsets in the target) did not apply the apply topics "
            + "within " + human(timeout) + ": " + last[0] + "; is the applier (turnout apply or turnout run) running?");
    }

    /** A change beyond the position, so that capture passes it even when the captured tables are quiet. */
    private void mark(String positionText) {
        TableId signals = TopicNames.signalTable(config.pipeline());
        try (Connection c = java.sql.DriverManager.getConnection(config.source().url(), config.source().user(),
            config.source().password().reveal());
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + Sql.table(signals)
                 + " (id, type, data) VALUES (?, 'log', ?)")) {
            ps.setString(1, "turnout-verify-" + UUID.randomUUID());
            ps.setString(2, "{\"message\": \"turnout verify waits for source position " + positionText + "\"}");
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new VerifyException(VerifyException.Kind.FAILED, "Cannot write a position marker to capture's signal "
                + "table " + signals + " in the source database (has capture ever run for pipeline '"
                + config.pipeline() + "'?): " + e.getMessage(), e);
        }
    }

    /** The read_committed end offset of every partition of the topics that exist. */
    private Map<TopicPartition, Long> ends(Collection<String> topics) {
        try {
            Map<String, TopicDescription> described = new HashMap<>();
            for (String topic : topics) {
                try {
                    described.put(topic, admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(REQUEST.toSeconds(), TimeUnit.SECONDS).get(topic));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw e;
                    }
                }
            }
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            described.forEach((topic, d) -> d.partitions().forEach(p ->
                request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(REQUEST.toSeconds(), TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        } catch (ExecutionException | TimeoutException e) {
            throw new VerifyException(VerifyException.Kind.FAILED, "Cannot read the end offsets of " + topics + " on "
                + config.kafka().bootstrap() + ": " + (e.getCause() != null ? e.getCause().getMessage() : e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VerifyException(VerifyException.Kind.FAILED, "Interrupted while reading end offsets", e);
        }
    }

    private Map<TopicPartition, Long> appliedOffsets(String group) throws SQLException {
        Map<TopicPartition, Long> out = new HashMap<>();
        try (PreparedStatement ps = target.prepareStatement(OFFSETS_QUERY)) {
            ps.setString(1, group);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    out.put(new TopicPartition(r.getString(1), r.getInt(2)), r.getLong(3));
                }
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                throw new VerifyException(VerifyException.Kind.FAILED, "The target has no table public.turnout_offsets, "
                    + "which the applier keeps: has the applier ever run? (With mode: dual-write, verify needs no "
                    + "applier.)", e);
            }
            throw e;
        }
        return out;
    }

    /** The partitions still short of their end, as {@code topic-partition at N of M}; empty when none is. */
    private static String behind(Map<TopicPartition, Long> ends,
                                 java.util.function.Function<TopicPartition, Optional<Long>> at) {
        List<String> behind = new ArrayList<>();
        ends.forEach((tp, end) -> {
            long now = at.apply(tp).orElse(0L);
            if (end > 0 && now < end) {
                behind.add(tp + " at " + now + " of " + end);
            }
        });
        behind.sort(String::compareTo);
        return behind.size() > 3 ? String.join(", ", behind.subList(0, 3)) + " and " + (behind.size() - 3) + " more"
            : String.join(", ", behind);
    }

    @FunctionalInterface
    private interface Check {
        boolean done() throws Exception;
    }

    private static void poll(long deadline, Check check, java.util.function.Supplier<String> timeoutMessage) {
        while (true) {
            try {
                if (check.done()) {
                    return;
                }
            } catch (VerifyException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VerifyException(VerifyException.Kind.FAILED, "Interrupted while waiting for the pipeline", e);
            } catch (Exception e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                throw new VerifyException(VerifyException.Kind.FAILED, "Cannot check how far the pipeline is: "
                    + cause.getMessage(), e);
            }
            if (System.nanoTime() > deadline) {
                throw new VerifyException(VerifyException.Kind.FAILED, "Verify: " + timeoutMessage.get(), null);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VerifyException(VerifyException.Kind.FAILED, "Interrupted while waiting for the pipeline", e);
            }
        }
    }

    /** A position as PostgreSQL prints it ({@code 16/B374D848}) as a number; 0 when there is none. */
    static long lsn(String text) {
        if (text == null || !text.contains("/")) {
            return 0L;
        }
        String[] parts = text.split("/");
        return (Long.parseLong(parts[0], 16) << 32) | Long.parseLong(parts[1], 16);
    }

    static String human(Duration d) {
        return d.toSeconds() >= 60 && d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toMillis() / 1000.0 + " s";
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
