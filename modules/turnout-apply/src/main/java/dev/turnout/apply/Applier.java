package dev.turnout.apply;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.turnout.apply.internal.ApplyMetrics;
import dev.turnout.apply.internal.Backoff;
import dev.turnout.apply.internal.BatchApplier;
import dev.turnout.apply.internal.ChangeDecoder;
import dev.turnout.apply.internal.DeadLetterWriter;
import dev.turnout.apply.internal.OffsetStore;
import dev.turnout.apply.internal.SchemaMismatchException;
import dev.turnout.apply.internal.SqlErrors;
import dev.turnout.apply.internal.TableWriters;
import dev.turnout.apply.internal.TombstoneCleaner;
import dev.turnout.core.TopicNames;
import dev.turnout.core.avro.AvroDeserializer;
import dev.turnout.core.avro.AvroSerdeConfig;
import dev.turnout.core.config.TableId;
import dev.turnout.core.registry.RegistryClientConfig;
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
public final class Applier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Applier.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration UNASSIGNED_WARNING = Duration.ofSeconds(60);
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
    private final String instance;
    private final Map<String, TableId> tablesByTopic = new LinkedHashMap<>();
    private final HikariDataSource pool;
    private final TableWriters writers = new TableWriters();
    private final OffsetStore offsets;
    private final DeadLetterWriter deadLetters;
    private final AvroDeserializer keys = new AvroDeserializer();
    private final AvroDeserializer values = new AvroDeserializer();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ApplyMetrics metrics;
    private final BatchApplier batches;
    private final ExecutorService workers;
    private final ScheduledExecutorService cleaner;
    private final Thread poller;
    private final Map<TopicPartition, PartitionState> partitions = new ConcurrentHashMap<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** What the target holds for an assigned partition: its stored next offset, or where reading began. */
    private record PartitionState(OptionalLong stored, long start) {
        long applied() {
            return stored.orElse(start);
        }
    }

    private Applier(ApplierSettings settings, MeterRegistry meters) {
        this.settings = settings;
        this.instance = settings.pipeline() + "-" + INSTANCES.incrementAndGet();
        settings.tables().forEach(t -> tablesByTopic.put(TopicNames.apply(settings.pipeline(), t), t));
        this.offsets = new OffsetStore(settings.groupId());
        this.pool = pool(settings);
        try {
            prepareTarget();
            checkKafka();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        Map<String, Object> serde = Map.of(RegistryClientConfig.URL, settings.registryUrl(),
            AvroSerdeConfig.SPECIFIC_AVRO_READER, true,
            AvroSerdeConfig.SPECIFIC_AVRO_TRUSTED_PACKAGES, "dev.turnout.schemas.apply");
        keys.configure(serde, true);
        values.configure(serde, false);
        this.deadLetters = new DeadLetterWriter(TopicNames.deadLetters(settings.pipeline()), settings.bootstrap(),
            producerConfig());
        this.consumer = new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.metrics = new ApplyMetrics(meters, () -> state.get() == State.RUNNING);
        settings.tables().forEach(metrics::table);
        this.workers = Executors.newFixedThreadPool(settings.parallelism(), named("turnout-apply-worker-" + instance));
        this.cleaner = Executors.newSingleThreadScheduledExecutor(named("turnout-apply-tombstones-" + instance));
        this.batches = new BatchApplier(pool, settings.targetUrl(), offsets, writers,
            new ChangeDecoder(keys, values), deadLetters, metrics, settings.batchSize(), stopping::get,
            new BatchApplier.RetryListener() {
                @Override
                public void retrying(String why) {
                    state.compareAndSet(State.RUNNING, State.RETRYING);
                }

                @Override
                public void recovered() {
                    state.compareAndSet(State.RETRYING, State.RUNNING);
                }
            });
        this.poller = new Thread(this::pollLoop, "turnout-apply-" + instance);
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

    private static HikariDataSource pool(ApplierSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("turnout-apply-" + settings.pipeline());
        config.setJdbcUrl(settings.targetUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password().reveal());
        config.setMaximumPoolSize(settings.parallelism() + 1);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        // Reachability is checked below with a message naming the database; the pool itself starts empty.
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    private void prepareTarget() {
        // A direct connection first: it fails at once with the driver's reason, where the pool would retry for its
        // whole connection timeout.
        try (Connection direct = DriverManager.getConnection(settings.targetUrl(), settings.user(),
            settings.password().reveal())) {
            direct.isValid(5);
        } catch (SQLException e) {
            throw new ApplierException("Cannot connect to the target database at " + settings.targetUrl() + " as "
                + settings.user() + ": " + SqlErrors.message(e), e);
        }
        try (Connection c = pool.getConnection()) {
            ensureTurnoutTables(c);
            writers.load(c, settings.tables());
        } catch (SQLException e) {
            throw new ApplierException("Cannot use the target database at " + settings.targetUrl() + " as "
                + settings.user() + ": " + SqlErrors.message(e), e);
        } catch (SchemaMismatchException e) {
            throw new ApplierException(e.getMessage(), e);
        }
    }

    private static void ensureTurnoutTables(Connection c) throws SQLException {
        List<String> ddl = new ArrayList<>();
        if (!exists(c, TurnoutTables.OFFSETS)) {
            ddl.add(TurnoutTables.offsetsDdl(true));
        }
        if (!exists(c, TurnoutTables.TOMBSTONES)) {
            ddl.addAll(TurnoutTables.tombstonesDdl(true));
        }
        try (Statement st = c.createStatement()) {
            for (String s : ddl) {
                st.execute(s);
            }
        }
    }

    private static boolean exists(Connection c, TableId table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            s.setString(1, table.toString());
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        }
    }

    private void checkKafka() {
        Map<String, Object> admin = new HashMap<>(settings.kafkaProperties());
        admin.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        admin.put(CommonClientConfigs.CLIENT_ID_CONFIG, "turnout-apply-admin-" + instance);
        String dlq = TopicNames.deadLetters(settings.pipeline());
        try (Admin client = Admin.create(admin)) {
            client.describeCluster().clusterId().get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!client.listTopics().names().get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).contains(dlq)) {
                try {
                    client.createTopics(List.of(new NewTopic(dlq, Optional.empty(), Optional.empty())))
                        .all().get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApplierException("Interrupted while checking Kafka at " + settings.bootstrap(), e);
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new ApplierException("Cannot reach Kafka at " + settings.bootstrap() + " (or create the dead-letter "
                + "topic " + dlq + "): " + cause, cause);
        }
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>(settings.kafkaProperties());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "turnout-apply-" + instance);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            (int) Math.min(Integer.MAX_VALUE, (long) settings.batchSize() * settings.parallelism()));
        return config;
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>(settings.kafkaProperties());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "turnout-apply-dlq-" + instance);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return config;
    }

    private void pollLoop() {
        try {
            consumer.subscribe(tablesByTopic.keySet(), new Rebalance());
            long unassignedSince = System.nanoTime();
            while (!stopping.get()) {
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
            if (!stopping.get()) {
                fail(new ApplierException("The applier's consumer was woken unexpectedly", e));
            }
        } catch (Throwable t) {
            fail(ownCause(t).orElseGet(() -> new ApplierException("The applier stopped: " + t, t)));
        } finally {
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
            } catch (RuntimeException e) {
                log.debug("Closing the applier's consumer failed: {}", e.toString());
            }
            state.compareAndSet(State.RUNNING, State.STOPPED);
            state.compareAndSet(State.RETRYING, State.STOPPED);
            stopped.countDown();
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
            // Records below the stored offset are already in the target (the DB is the truth); skip them.
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
                case FAILED -> fail(outcome.failure());
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
            try (Connection c = pool.getConnection()) {
                Map<TopicPartition, Long> stored = offsets.read(c, assigned);
                state.compareAndSet(State.RETRYING, State.RUNNING);
                return stored;
            } catch (SQLException e) {
                if (!SqlErrors.isTransient(e)) {
                    throw new ApplierException("Cannot read " + TurnoutTables.OFFSETS + " in the target database at "
                        + settings.targetUrl() + ": " + SqlErrors.message(e), e);
                }
                state.compareAndSet(State.RUNNING, State.RETRYING);
                log.warn("Cannot read the stored offsets from the target database at {}: {}; retrying in {} ms",
                    settings.targetUrl(), SqlErrors.message(e), backoff.nextDelay().toMillis());
                if (!backoff.await(stopping::get)) {
                    throw new WakeupException();
                }
            }
        }
    }

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
    private static Optional<Throwable> ownCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ApplierException) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    private void fail(Throwable cause) {
        if (failure.compareAndSet(null, cause)) {
            state.set(State.FAILED);
            log.error("Applier of pipeline '{}' stopped: {}", settings.pipeline(), cause.getMessage());
        }
        stopping.set(true);
    }

    /** What the applier is doing now. */
    public State state() {
        return state.get();
    }

    /** Whether it is applying (or waiting for records) without trouble: what {@code turnout.part.up} reports. */
    public boolean isHealthy() {
        return state.get() == State.RUNNING;
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
        consumer.wakeup();
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
