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
 * The applier's poll thread: owns the consumer, hands each partition's records to the workers, seeks assigned
 * partitions to the offsets stored in the target, commits those offsets to the Kafka group for lag tools, and keeps the
 * lag gauges. Runs until its owner stops it or something retrying cannot fix happens.
 *
 * <p>A partition whose batch is in flight is paused, and the loop keeps polling for the others: a partition whose
 * batch waits (on a row lock, a slow index, a retried outage) holds up only itself. Its records stay in order because
 * it is resumed only when its batch has finished. A rebalance waits for the batches of the partitions it takes away.
 */
public final class PollLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(PollLoop.class);
    private static final Duration POLL = Duration.ofMillis(500);
    /** While batches are in flight, how often the loop looks for finished ones between polls. */
    private static final Duration POLL_WHILE_APPLYING = Duration.ofMillis(5);
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
    /** Batches handed to the workers and not yet accounted for; touched by the poll thread only. */
    private final Map<TopicPartition, Future<BatchApplier.Outcome>> inFlight = new LinkedHashMap<>();

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
                ConsumerRecords<byte[], byte[]> records =
                    consumer.poll(inFlight.isEmpty() ? POLL : POLL_WHILE_APPLYING);
                if (!partitions.isEmpty()) {
                    unassignedSince = System.nanoTime();
                } else if (System.nanoTime() - unassignedSince > UNASSIGNED_WARNING.toNanos()) {
                    log.warn("Applier {} has had no apply-topic partition for {} s: Kafka at {} is unreachable, the "
                        + "topics {} do not exist yet, or other appliers of group {} hold them all", instance,
                        UNASSIGNED_WARNING.toSeconds(), settings.bootstrap(), tablesByTopic.keySet(), settings.groupId());
                    unassignedSince = System.nanoTime();
                }
                updateLag();
                settle(finished());
                if (!records.isEmpty()) {
                    dispatch(records);
                }
            }
        } catch (WakeupException e) {
            if (!owner.stopping()) {
                owner.fail(new ApplierException("The applier's consumer was woken unexpectedly", e));
            }
        } catch (Throwable t) {
            owner.fail(ownCause(t).orElseGet(() -> new ApplierException("The applier stopped: " + t, t)));
        } finally {
            awaitInFlight();
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
            } catch (RuntimeException e) {
                log.debug("Closing the applier's consumer failed: {}", e.toString());
            }
        }
    }

    /** Hands each partition of one poll to a worker and pauses it until its batch has finished. */
    private void dispatch(ConsumerRecords<byte[], byte[]> records) {
        List<TopicPartition> started = new ArrayList<>();
        for (TopicPartition tp : records.partitions()) {
            PartitionState held = partitions.get(tp);
            TableId table = tablesByTopic.get(tp.topic());
            if (held == null || table == null) {
                continue;
            }
            if (inFlight.containsKey(tp)) {
                // A paused partition returns no records; should one anyway, read them again after its batch.
                consumer.seek(tp, records.records(tp).get(0).offset());
                continue;
            }
            // Records below the stored offset are already in the target (the target is the truth); skip them.
            List<ConsumerRecord<byte[], byte[]>> fresh = records.records(tp).stream()
                .filter(r -> held.stored().isEmpty() || r.offset() >= held.stored().getAsLong()).toList();
            if (!fresh.isEmpty()) {
                inFlight.put(tp, workers.submit(() -> batches.apply(tp, table, fresh, held.stored())));
                started.add(tp);
            }
        }
        consumer.pause(started);
    }

    /** The batches that have finished, removed from {@link #inFlight}; waits for none. */
    private Map<TopicPartition, Future<BatchApplier.Outcome>> finished() {
        Map<TopicPartition, Future<BatchApplier.Outcome>> done = new LinkedHashMap<>();
        inFlight.entrySet().removeIf(e -> {
            if (e.getValue().isDone()) {
                done.put(e.getKey(), e.getValue());
                return true;
            }
            return false;
        });
        return done;
    }

    /** Waits for the batches of {@code tps} that are in flight, removed from {@link #inFlight}. */
    private Map<TopicPartition, Future<BatchApplier.Outcome>> drain(Collection<TopicPartition> tps) {
        Map<TopicPartition, Future<BatchApplier.Outcome>> done = new LinkedHashMap<>();
        for (TopicPartition tp : tps) {
            Future<BatchApplier.Outcome> batch = inFlight.remove(tp);
            if (batch != null) {
                done.put(tp, batch);
            }
        }
        return done;
    }

    /**
     * Records what finished batches left in the target, resumes their partitions (from the stored offset when another
     * instance moved it), and mirrors the new offsets to the Kafka group.
     */
    private void settle(Map<TopicPartition, Future<BatchApplier.Outcome>> done) {
        if (done.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        List<TopicPartition> resume = new ArrayList<>();
        for (Map.Entry<TopicPartition, Future<BatchApplier.Outcome>> e : done.entrySet()) {
            TopicPartition tp = e.getKey();
            BatchApplier.Outcome outcome = outcome(tp, e.getValue());
            switch (outcome.kind()) {
                case COMMITTED -> {
                    PartitionState before = partitions.get(tp);
                    if (before != null) {
                        partitions.put(tp, new PartitionState(OptionalLong.of(outcome.nextOffset()), before.start()));
                        commits.put(tp, new OffsetAndMetadata(outcome.nextOffset()));
                    }
                }
                case FENCED -> resume(List.of(tp));
                case STOPPED -> { }
                case FAILED -> owner.fail(outcome.failure());
            }
            if (consumer.assignment().contains(tp)) {
                resume.add(tp);
            }
        }
        consumer.resume(resume);
        if (!commits.isEmpty()) {
            // Informational: lets kafka-consumer-groups and rollout gates see apply lag. Never read back.
            consumer.commitAsync(commits, (committed, error) -> {
                if (error != null) {
                    log.debug("Committing apply offsets to the Kafka group {} failed: {}", settings.groupId(),
                        error.toString());
                }
            });
        }
    }

    /**
     * Before the consumer leaves the group: waits for the batches still running (they stop retrying once the owner
     * stops), so no batch writes to a partition another instance may be given.
     */
    private void awaitInFlight() {
        for (Map.Entry<TopicPartition, Future<BatchApplier.Outcome>> e : drain(List.copyOf(inFlight.keySet()))
            .entrySet()) {
            try {
                outcome(e.getKey(), e.getValue());
            } catch (RuntimeException failed) {
                log.debug("A batch of {} failed while the applier stopped: {}", e.getKey(), failed.toString());
            }
        }
    }

    private static BatchApplier.Outcome outcome(TopicPartition tp, Future<BatchApplier.Outcome> batch) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return batch.get();
                } catch (InterruptedException e) {
                    // The batch's transaction must be accounted for before the partition can move on.
                    interrupted = true;
                }
            }
        } catch (ExecutionException ex) {
            throw new IllegalStateException("applying " + tp + " failed: " + ex.getCause(), ex.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
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
            // The next owner starts from the offsets stored in the target: let the batches still writing to it finish
            // first, and mirror what they stored while this instance still owns the partitions.
            settle(drain(revoked));
            revoked.forEach(partitions::remove);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            // Another instance may own them already; its conditional offset update fences a batch of ours that is
            // still running. Wait for them anyway, so no batch outlives the partition's state here.
            drain(lost).forEach(PollLoop::outcome);
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
