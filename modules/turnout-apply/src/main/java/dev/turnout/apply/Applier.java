package dev.turnout.apply;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariDataSource;

import dev.turnout.apply.internal.ApplierClients;
import dev.turnout.apply.internal.ApplyMetrics;
import dev.turnout.apply.internal.BatchApplier;
import dev.turnout.apply.internal.ChangeDecoder;
import dev.turnout.apply.internal.DeadLetterWriter;
import dev.turnout.apply.internal.OffsetStore;
import dev.turnout.apply.internal.PollLoop;
import dev.turnout.apply.internal.StartupChecks;
import dev.turnout.apply.internal.TableWriters;
import dev.turnout.apply.internal.TombstoneCleaner;
import dev.turnout.core.TopicNames;
import dev.turnout.core.avro.AvroDeserializer;
import dev.turnout.core.config.TableId;
import dev.turnout.core.health.PartHealth;
import dev.turnout.core.health.PartState;
import dev.turnout.core.health.PartStatus;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One pipeline's applier: reads the apply topics of its target tables ({@code read_committed}, consumer group
 * {@code turnout-<pipeline>-apply}) and writes the target PostgreSQL, each partition's batch in one target transaction
 * together with the partition's next offset in {@code turnout_offsets}.
 *
 * <p>Guarantees: every target row carries its source position ({@link TurnoutTables#GUARD_COLUMN}) and a change is
 * written only if it is newer than the row and, for an upsert, than the key's tombstone; so a crash at any moment
 * neither loses nor doubles a write, and replaying old records changes nothing. On assignment a partition resumes from
 * the offset stored in the target (the Kafka group's committed offsets follow, for lag tools, and are never read).
 * Poison records go to the dead-letter topic, flushed before the transaction that moves past them commits; a crash
 * between the two writes a dead-letter record twice. Outages of the target, the registry or Kafka are retried with
 * backoff; no record is skipped.
 *
 * <p>Threads: one thread polls Kafka and owns the consumer; {@code parallelism} worker threads write partitions, each
 * on a connection of its own from a pool of {@code parallelism + 1}; a scheduler removes old tombstones. Several
 * appliers of one pipeline share the partitions through the consumer group. {@link #close()} stops and closes
 * everything; records read and not yet committed are read again by the next owner.
 */
public final class Applier implements PartHealth, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Applier.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    /** What the applier is doing. */
    public enum State {
        /** Applying, or waiting for records. */
        RUNNING,
        /** An outage (target, registry, dead-letter topic): the same records are being retried with backoff. */
        RETRYING,
        /** Stopped by a problem retrying cannot fix; see {@link #failure()}. */
        FAILED,
        /** Stopped by {@link #close()}. */
        STOPPED
    }

    private final ApplierSettings settings;
    private final HikariDataSource pool;
    private final DeadLetterWriter deadLetters;
    private final AvroDeserializer keys = new AvroDeserializer();
    private final AvroDeserializer values = new AvroDeserializer();
    private final ApplyMetrics metrics;
    private final ExecutorService workers;
    private final ScheduledExecutorService cleaner;
    private final PollLoop loop;
    private final Thread poller;
    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile String retryReason;

    private Applier(ApplierSettings settings, MeterRegistry meters) {
        this.settings = settings;
        String instance = settings.pipeline() + "-" + INSTANCES.incrementAndGet();
        Map<String, TableId> tablesByTopic = new LinkedHashMap<>();
        settings.tables().forEach(t -> tablesByTopic.put(TopicNames.apply(settings.pipeline(), t), t));
        TableWriters writers = new TableWriters();
        this.pool = ApplierClients.pool(settings);
        try {
            StartupChecks.target(settings, pool, writers);
            StartupChecks.kafka(settings, "turnout-apply-admin-" + instance);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        keys.configure(ApplierClients.serde(settings), true);
        values.configure(ApplierClients.serde(settings), false);
        this.deadLetters = new DeadLetterWriter(TopicNames.deadLetters(settings.pipeline()), settings.bootstrap(),
            ApplierClients.deadLetterProducer(settings, "turnout-apply-dlq-" + instance));
        this.metrics = new ApplyMetrics(meters);
        settings.tables().forEach(metrics::table);
        this.workers = Executors.newFixedThreadPool(settings.parallelism(), named("turnout-apply-worker-" + instance));
        this.cleaner = Executors.newSingleThreadScheduledExecutor(named("turnout-apply-tombstones-" + instance));
        OffsetStore offsets = new OffsetStore(settings.groupId());
        Owner owner = new Owner();
        BatchApplier batches = new BatchApplier(pool, settings.targetUrl(), offsets, writers,
            new ChangeDecoder(keys, values), deadLetters, metrics, settings.batchSize(), stopping::get, owner);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
            ApplierClients.consumer(settings, "turnout-apply-" + instance), new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
        this.loop = new PollLoop(settings, instance, tablesByTopic, consumer, batches, workers, pool, offsets, metrics,
            owner);
        this.poller = new Thread(this::poll, "turnout-apply-" + instance);
    }

    /**
     * Checks the target (reachable, target tables present with the guard column, Turnout's own tables created if
     * missing) and Kafka, then starts applying.
     *
     * @throws ApplierException naming the database or cluster and the problem when either cannot be used
     */
    public static Applier start(ApplierSettings settings, MeterRegistry meters) {
        Applier applier = new Applier(settings, meters);
        Duration every = settings.tombstoneCleanup();
        applier.cleaner.scheduleWithFixedDelay(new TombstoneCleaner(applier.pool, settings.tables(),
            settings.tombstoneRetention()), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        applier.poller.start();
        log.info("Applier of pipeline '{}' started: {} table(s) into {}, group {}, {} partition(s) at once",
            settings.pipeline(), settings.tables().size(), settings.targetUrl(), settings.groupId(),
            settings.parallelism());
        return applier;
    }

    private void poll() {
        try {
            loop.run();
        } finally {
            state.compareAndSet(State.RUNNING, State.STOPPED);
            state.compareAndSet(State.RETRYING, State.STOPPED);
            stopped.countDown();
        }
    }

    /** How the batches and the poll loop report to the applier. */
    private final class Owner implements PollLoop.Owner, BatchApplier.RetryListener {
        @Override
        public boolean stopping() {
            return stopping.get();
        }

        @Override
        public void retrying() {
            state.compareAndSet(State.RUNNING, State.RETRYING);
        }

        @Override
        public void retrying(String why) {
            retryReason = why;
            retrying();
        }

        @Override
        public void recovered() {
            state.compareAndSet(State.RETRYING, State.RUNNING);
        }

        @Override
        public void fail(Throwable cause) {
            if (failure.compareAndSet(null, cause)) {
                state.set(State.FAILED);
                log.error("Applier of pipeline '{}' stopped: {}", settings.pipeline(), cause.getMessage());
            }
            stopping.set(true);
        }
    }

    /** What the applier is doing now. */
    public State state() {
        return state.get();
    }

    /** Whether it is applying (or waiting for records) without trouble: what {@code turnout.part.up} reports. */
    public boolean isHealthy() {
        return state.get() == State.RUNNING;
    }

    /**
     * For {@code /health} and {@code turnout.part.up{part=apply}}: {@code RUNNING} while applying or waiting for
     * records; {@code STARTING} with the reason while it retries an outage (it waits for a dependency and recovers by
     * itself, so the process stays live but is not ready); {@code FAILED} with the reason once it stopped by itself;
     * {@code STOPPED} after {@link #close()}.
     */
    @Override
    public PartStatus partStatus() {
        return switch (state.get()) {
            case RUNNING -> PartStatus.running();
            case RETRYING -> new PartStatus(PartState.STARTING, Optional.of("retrying an outage"
                + (retryReason == null ? "" : ": " + retryReason)));
            case FAILED -> PartStatus.failed(failure.get());
            case STOPPED -> PartStatus.stopped();
        };
    }

    /** Why the applier stopped by itself, if it did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Waits until the applier stops (by {@link #close()} or a failure); returns whether it stopped within the timeout. */
    public boolean awaitStop(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public ApplierSettings settings() {
        return settings;
    }

    /** Stops polling, lets running batches finish or abandon their retries, and closes every client and connection. */
    @Override
    public void close() {
        stopping.set(true);
        loop.wakeup();
        try {
            if (!stopped.await(60, TimeUnit.SECONDS)) {
                log.warn("The applier's poll thread did not stop within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cleaner.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.close();
        deadLetters.close();
        keys.close();
        values.close();
        pool.close();
        state.compareAndSet(State.RUNNING, State.STOPPED);
        state.compareAndSet(State.RETRYING, State.STOPPED);
        log.info("Applier of pipeline '{}' stopped", settings.pipeline());
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
