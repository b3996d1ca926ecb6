package dev.turnout.apply.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.apply.ApplierException;
import dev.turnout.apply.ApplierSettings;
import dev.turnout.apply.TurnoutTables;
import dev.turnout.core.config.TableId;

/**
 * The applier's poll thread: owns the consumer, hands each poll's partitions to the workers and waits for them (so no
 * rebalance can happen while a batch is in flight), seeks assigned partitions to the offsets stored in the target,
 * commits those offsets to the Kafka group for lag tools, and keeps the lag gauges. Runs until its owner stops it or
 * something retrying cannot fix happens.
 */
public final class PollLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(PollLoop.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration UNASSIGNED_WARNING = Duration.ofSeconds(60);

    /** What the loop reports to, and asks of, the applier that runs it. */
    public interface Owner {
        boolean stopping();

        void retrying();

        void recovered();

        /** Stops the applier for {@code cause}, an {@link ApplierException} or the applier's own failure. */
        void fail(Throwable cause);
    }

    private final ApplierSettings settings;
    private final String instance;
    private final Map<String, TableId> tablesByTopic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final BatchApplier batches;
    private final ExecutorService workers;
    private final DataSource target;
    private final OffsetStore offsets;
    private final ApplyMetrics metrics;
    private final Owner owner;
    private final Map<TopicPartition, PartitionState> partitions = new ConcurrentHashMap<>();

    /** What the target holds for an assigned partition: its stored next offset, or where reading began. */
    private record PartitionState(OptionalLong stored, long start) {
        long applied() {
            return stored.orElse(start);
        }
    }

    public PollLoop(ApplierSettings settings, String instance, Map<String, TableId> tablesByTopic,
                    KafkaConsumer<byte[], byte[]> consumer, BatchApplier batches, ExecutorService workers,
                    DataSource target, OffsetStore offsets, ApplyMetrics metrics, Owner owner) {
        this.settings = settings;
        this.instance = instance;
        this.tablesByTopic = Map.copyOf(tablesByTopic);
        this.consumer = consumer;
        this.batches = batches;
        this.workers = workers;
        this.target = target;
        this.offsets = offsets;
        this.metrics = metrics;
        this.owner = owner;
    }

    /** Ends a poll in progress; the loop then sees that its owner is stopping. Safe from any thread. */
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(tablesByTopic.keySet(), new Rebalance());
            long unassignedSince = System.nanoTime();
            while (!owner.stopping()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (!partitions.isEmpty()) {
                    unassignedSince = System.nanoTime();
                } else if (System.nanoTime() - unassignedSince > UNASSIGNED_WARNING.toNanos()) {
                    log.warn("Applier {} has had no apply-topic partition for {} s: Kafka at {} is unreachable, the "
                        + "topics {} do not exist yet, or other appliers of group {} hold them all", instance,
                        UNASSIGNED_WARNING.toSeconds(), settings.bootstrap(), tablesByTopic.keySet(), settings.groupId());
                    unassignedSince = System.nanoTime();
                }
                updateLag();
                if (!records.isEmpty()) {
                    applyAll(records);
                }
            }
        } catch (WakeupException e) {
            if (!owner.stopping()) {
                owner.fail(new ApplierException("The applier's consumer was woken unexpectedly", e));
            }
        } catch (Throwable t) {
            owner.fail(ownCause(t).orElseGet(() -> new ApplierException("The applier stopped: " + t, t)));
        } finally {
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
            } catch (RuntimeException e) {
                log.debug("Closing the applier's consumer failed: {}", e.toString());
            }
        }
    }

    /** Writes every partition of one poll in parallel, then records what the target now holds. */
    private void applyAll(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        Map<TopicPartition, Future<BatchApplier.Outcome>> running = new LinkedHashMap<>();
        for (TopicPartition tp : records.partitions()) {
            PartitionState held = partitions.get(tp);
            TableId table = tablesByTopic.get(tp.topic());
            if (held == null || table == null) {
                continue;
            }
            // Records below the stored offset are already in the target (the target is the truth); skip them.
            List<ConsumerRecord<byte[], byte[]>> fresh = records.records(tp).stream()
                .filter(r -> held.stored().isEmpty() || r.offset() >= held.stored().getAsLong()).toList();
            if (!fresh.isEmpty()) {
                running.put(tp, workers.submit(() -> batches.apply(tp, table, fresh, held.stored())));
            }
        }
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (Map.Entry<TopicPartition, Future<BatchApplier.Outcome>> e : running.entrySet()) {
            TopicPartition tp = e.getKey();
            BatchApplier.Outcome outcome;
            try {
                outcome = e.getValue().get();
            } catch (ExecutionException ex) {
                throw new IllegalStateException("applying " + tp + " failed: " + ex.getCause(), ex.getCause());
            }
            switch (outcome.kind()) {
                case COMMITTED -> {
                    PartitionState before = partitions.get(tp);
                    partitions.put(tp, new PartitionState(OptionalLong.of(outcome.nextOffset()),
                        before == null ? outcome.nextOffset() : before.start()));
                    commits.put(tp, new OffsetAndMetadata(outcome.nextOffset()));
                }
                case FENCED -> resume(List.of(tp));
                case STOPPED -> { }
                case FAILED -> owner.fail(outcome.failure());
            }
        }
        if (!commits.isEmpty()) {
            // Informational: lets kafka-consumer-groups and rollout gates see apply lag. Never read back.
            consumer.commitAsync(commits, (done, error) -> {
                if (error != null) {
                    log.debug("Committing apply offsets to the Kafka group {} failed: {}", settings.groupId(),
                        error.toString());
                }
            });
        }
    }

    /** Seeks partitions to the offsets stored in the target, or to the start of the log when none is stored. */
    private void resume(Collection<TopicPartition> assigned) {
        List<TopicPartition> ours = assigned.stream().filter(tp -> tablesByTopic.containsKey(tp.topic())).toList();
        if (ours.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> stored = readStored(ours);
        List<TopicPartition> fromStart = new ArrayList<>();
        for (TopicPartition tp : ours) {
            Long next = stored.get(tp);
            if (next != null) {
                consumer.seek(tp, next);
                partitions.put(tp, new PartitionState(OptionalLong.of(next), next));
            } else {
                fromStart.add(tp);
            }
        }
        if (!fromStart.isEmpty()) {
            consumer.seekToBeginning(fromStart);
            for (TopicPartition tp : fromStart) {
                partitions.put(tp, new PartitionState(OptionalLong.empty(), consumer.position(tp)));
            }
        }
        log.info("Applier {} resumes {} partition(s) from the offsets stored in the target ({} from the start)",
            instance, ours.size(), fromStart.size());
    }

    private Map<TopicPartition, Long> readStored(List<TopicPartition> assigned) {
        Backoff backoff = new Backoff();
        while (true) {
            try (Connection c = target.getConnection()) {
                Map<TopicPartition, Long> stored = offsets.read(c, assigned);
                owner.recovered();
                return stored;
            } catch (SQLException e) {
                if (!SqlErrors.isTransient(e)) {
                    throw new ApplierException("Cannot read " + TurnoutTables.OFFSETS + " in the target database at "
                        + settings.targetUrl() + ": " + SqlErrors.message(e), e);
                }
                owner.retrying();
                log.warn("Cannot read the stored offsets from the target database at {}: {}; retrying in {} ms",
                    settings.targetUrl(), SqlErrors.message(e), backoff.nextDelay().toMillis());
                if (!backoff.await(owner::stopping)) {
                    throw new WakeupException();
                }
            }
        }
    }

    /** Per table: the end of each assigned partition (as of the last fetch) minus what the target holds. */
    private void updateLag() {
        Map<TableId, Long> behind = new HashMap<>();
        settings.tables().forEach(t -> behind.put(t, 0L));
        for (Map.Entry<TopicPartition, PartitionState> e : partitions.entrySet()) {
            TopicPartition tp = e.getKey();
            OptionalLong lag = consumer.currentLag(tp);
            if (lag.isPresent()) {
                long end = consumer.position(tp) + lag.getAsLong();
                behind.merge(tablesByTopic.get(tp.topic()), Math.max(0, end - e.getValue().applied()), Long::sum);
            }
        }
        behind.forEach(metrics::lag);
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            resume(assigned);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            // Every batch of the last poll has finished (the poll thread waits for them), so nothing is in flight.
            revoked.forEach(partitions::remove);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            lost.forEach(partitions::remove);
        }
    }

    /** The applier's own exception behind {@code t}, which Kafka wraps when a rebalance callback threw it. */
    private static java.util.Optional<Throwable> ownCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ApplierException) {
                return java.util.Optional.of(c);
            }
        }
        return java.util.Optional.empty();
    }
}
