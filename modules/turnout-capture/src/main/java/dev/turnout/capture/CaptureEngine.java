package dev.turnout.capture;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.capture.internal.CaptureOffsetsTopic;
import dev.turnout.capture.internal.TopicCreator;
import dev.turnout.capture.internal.TransactionalChangeWriter;
import dev.turnout.core.TopicNames;
import dev.turnout.core.config.TableId;
import dev.turnout.core.health.PartHealth;
import dev.turnout.core.health.PartStatus;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.embedded.Connect;
import io.debezium.engine.spi.OffsetCommitPolicy;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One pipeline's capture: Debezium's embedded engine (PostgreSQL connector, pgoutput) writing every change into Kafka
 * exactly once, with the source offset in the same transaction.
 *
 * <p>Threads: the engine runs on its own executor; a monitor thread checks the replication slot every two seconds and
 * stops capture within ten seconds of the slot being dropped or invalidated. {@link #close()} stops everything and
 * waits for it. On restart, capture resumes from the offset committed with the last change in Kafka; a crash at any
 * moment neither loses nor duplicates a change for read_committed consumers.
 *
 * <p>Capture never re-creates a lost slot by itself: offsets without a slot mean changes were lost, and it stops with a
 * {@link SlotLostException} instead.
 */
public final class CaptureEngine implements PartHealth, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CaptureEngine.class);
    private static final Duration SLOT_CHECK = Duration.ofSeconds(2);
    private static final Duration SLOT_DROP_WAIT = Duration.ofSeconds(2);
    private static final Duration SLOT_DROP_POLL = Duration.ofMillis(50);

    private final CaptureSettings settings;
    private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private final TransactionalChangeWriter writer;
    private final TopicCreator topics;
    private final SlotInspector slots;
    private final ExecutorService engineThread;
    private final ScheduledExecutorService monitor;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong retainedWal = new AtomicLong();
    private final AtomicLong slotActive = new AtomicLong();
    private final long snapshotEstimate;
    private long lastStatusEvents;
    private long lastStatusNanos = System.nanoTime();

    private CaptureEngine(CaptureSettings settings, MeterRegistry meters, OffsetCommitPolicy slotConfirmation) {
        this.settings = settings;
        String slot = TopicNames.slot(settings.pipeline());
        this.slots = new SlotInspector(settings.sourceJdbcUrl(), settings.user(), settings.password().reveal());
        Map<String, Object> client = new HashMap<>(settings.kafkaProperties());
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());

        checkSource(slot);
        CaptureOffsetsTopic offsetsTopic = new CaptureOffsetsTopic(TopicNames.captureOffsets(settings.pipeline()), client);
        offsetsTopic.ensureExists();
        boolean resuming = !offsetsTopic.readCommitted().isEmpty();
        checkSlot(slot, resuming);
        ensureSignalTable();

        this.topics = new TopicCreator(client, settings.partitions(),
            Set.of(TopicNames.transactions(settings.pipeline()), TopicNames.heartbeats(settings.pipeline())));
        settings.tables().forEach(t -> topics.ensure(TopicNames.cdc(settings.pipeline(), t)));
        this.snapshotEstimate = estimateRows();

        Map<String, String> props = ConnectorProperties.embedded(settings);
        this.writer = new TransactionalChangeWriter(props.get("name"), "turnout-capture-" + settings.pipeline(), client,
            settings.registryUrl(), offsetsTopic, topics, TopicNames.heartbeats(settings.pipeline()),
            meters);
        Properties engineProps = new Properties();
        engineProps.putAll(props);
        this.engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
            .using(engineProps)
            .using(slotConfirmation)
            .using((success, message, error) -> {
                if (!success) {
                    failure.compareAndSet(null, explain(error != null ? error : new IllegalStateException(message)));
                }
                stopped.countDown();
            })
            .notifying(writer)
            .build();

        Gauge.builder("turnout.capture.slot.retained.wal", retainedWal, AtomicLong::get).baseUnit("bytes")
            .description("WAL the replication slot keeps from removal").tag("slot", slot).register(meters);
        Gauge.builder("turnout.capture.slot.active", slotActive, AtomicLong::get)
            .description("1 while a walsender holds the slot").tag("slot", slot).register(meters);
        Gauge.builder("turnout.capture.snapshot.rows", writer.progress(), TransactionalChangeWriter.Progress::snapshotRows)
            .description("Rows read by the snapshot").register(meters);
        Gauge.builder("turnout.capture.snapshot.rows.estimated", () -> snapshotEstimate)
            .description("Rows the snapshot is expected to read (pg_class.reltuples)").register(meters);
        Gauge.builder("turnout.capture.source.lag", this, e -> e.lag().map(Duration::toMillis).orElse(0L) / 1000.0)
            .baseUnit("seconds").description("Now minus the source commit time of the last change written")
            .register(meters);

        this.engineThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "turnout-capture-" + settings.pipeline()));
        this.monitor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "turnout-slot-monitor-" + settings.pipeline());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Checks the source and the slot, creates topics, and starts capturing. Throws {@link SlotLostException} when offsets
     * exist but the slot does not, and {@link IllegalStateException} naming the problem when the source or Kafka cannot be
     * used.
     */
    public static CaptureEngine start(CaptureSettings settings, MeterRegistry meters) {
        // Confirming to the slot after every batch keeps the WAL the source retains for Turnout as small as it can be.
        return start(settings, meters, OffsetCommitPolicy.always());
    }

    /**
     * Starts capture with another policy for confirming positions to the slot. Fault tests confirm rarely, which makes
     * every crash land between a Kafka commit and the slot's confirmation of it (the re-delivery window).
     */
    static CaptureEngine start(CaptureSettings settings, MeterRegistry meters, OffsetCommitPolicy slotConfirmation) {
        CaptureEngine capture = new CaptureEngine(settings, meters, slotConfirmation);
        capture.engineThread.execute(capture.engine);
        capture.monitor.scheduleWithFixedDelay(capture::checkSlotWhileRunning, SLOT_CHECK.toMillis(),
            SLOT_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Capture of pipeline '{}' started: {} table(s) from {} into {}", settings.pipeline(),
            settings.tables().size(), settings.database().host() + ":" + settings.database().port() + "/"
                + settings.database().name(), settings.bootstrap());
        return capture;
    }

    private void checkSource(String slot) {
        String level;
        try {
            level = slots.walLevel();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to the source database at " + settings.sourceJdbcUrl()
                + " as " + settings.user() + ": " + e.getMessage(), e);
        }
        if (!"logical".equals(level)) {
            throw new IllegalStateException("The source database at " + settings.sourceJdbcUrl() + " has wal_level="
                + level + "; capture needs wal_level=logical (set it in postgresql.conf and restart PostgreSQL)");
        }
    }

    private void checkSlot(String slot, boolean resuming) {
        Optional<SlotInspector.SlotState> state;
        try {
            state = slots.slot(slot);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read replication slot '" + slot + "' on " + settings.sourceJdbcUrl()
                + ": " + e.getMessage(), e);
        }
        if (resuming && state.isEmpty()) {
            throw new SlotLostException(slot, "does not exist although capture has committed offsets (it was dropped)");
        }
        if (state.isPresent() && state.get().lost()) {
            throw new SlotLostException(slot, "was invalidated: PostgreSQL removed WAL it still needed "
                + "(max_slot_wal_keep_size)");
        }
    }

    private void ensureSignalTable() {
        TableId signal = TopicNames.signalTable(settings.pipeline());
        try (Connection c = DriverManager.getConnection(settings.sourceJdbcUrl(), settings.user(),
            settings.password().reveal()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + signal + " (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, "
                + "data varchar(2048))");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the signal table " + signal + " in the source database (used for "
                + "on-demand snapshots): " + e.getMessage(), e);
        }
    }

    private long estimateRows() {
        long total = 0;
        try (Connection c = DriverManager.getConnection(settings.sourceJdbcUrl(), settings.user(),
            settings.password().reveal());
             PreparedStatement ps = c.prepareStatement("SELECT GREATEST(c.reltuples, 0)::bigint FROM pg_class c "
                 + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?")) {
            for (TableId t : settings.tables()) {
                ps.setString(1, t.schema());
                ps.setString(2, t.table());
                try (ResultSet rs = ps.executeQuery()) {
                    total += rs.next() ? rs.getLong(1) : 0;
                }
            }
        } catch (SQLException e) {
            log.warn("Could not estimate snapshot size from pg_class.reltuples: {}", e.getMessage());
        }
        return total;
    }

    /**
     * A replication error is most often the slot going away; say so when it did. An active slot cannot be dropped, so
     * whoever drops it terminates its walsender first, which is what the engine sees fail: while the slot is still
     * there but released, look again for up to {@link #SLOT_DROP_WAIT}.
     */
    private Throwable explain(Throwable error) {
        String slot = TopicNames.slot(settings.pipeline());
        try {
            Optional<SlotInspector.SlotState> state = slots.slot(slot);
            long deadline = System.nanoTime() + SLOT_DROP_WAIT.toNanos();
            while (state.isPresent() && !state.get().active() && !state.get().lost()
                && System.nanoTime() < deadline) {
                Thread.sleep(SLOT_DROP_POLL.toMillis());
                state = slots.slot(slot);
            }
            if (state.isEmpty()) {
                return new SlotLostException(slot, "was dropped while capture was running");
            }
            if (state.get().lost()) {
                return new SlotLostException(slot, "was invalidated: PostgreSQL removed WAL it still needed "
                    + "(max_slot_wal_keep_size)");
            }
        } catch (SQLException unreachable) {
            // The source is unreachable too; the engine's own error says more.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return error;
    }

    private void checkSlotWhileRunning() {
        String slot = TopicNames.slot(settings.pipeline());
        try {
            Optional<SlotInspector.SlotState> state = slots.slot(slot);
            if (state.isEmpty()) {
                // Before Debezium creates it on a first start, the slot may not exist yet.
                if (writer.progress().events() > 0) {
                    fail(new SlotLostException(slot, "was dropped while capture was running"));
                }
                return;
            }
            retainedWal.set(state.get().retainedWalBytes());
            slotActive.set(state.get().active() ? 1 : 0);
            if (state.get().lost()) {
                fail(new SlotLostException(slot, "was invalidated: PostgreSQL removed WAL it still needed "
                    + "(max_slot_wal_keep_size)"));
            }
        } catch (SQLException e) {
            log.warn("Could not check replication slot '{}': {}", slot, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Slot check failed: {}", e.toString());
        }
    }

    private void fail(Throwable cause) {
        if (failure.compareAndSet(null, cause)) {
            log.error(cause.getMessage());
            Thread stopper = new Thread(this::stopEngine, "turnout-capture-stop");
            stopper.setDaemon(true);
            stopper.start();
        }
    }

    /** A one-line view of progress. Rates are since the previous call. */
    public synchronized CaptureStatus status() {
        long events = writer.progress().events();
        long now = System.nanoTime();
        double seconds = Math.max((now - lastStatusNanos) / 1e9, 1e-3);
        double rate = (events - lastStatusEvents) / seconds;
        lastStatusEvents = events;
        lastStatusNanos = now;
        return new CaptureStatus(events, rate, Optional.ofNullable(writer.progress().lastLsn()), lag(),
            writer.progress().snapshotRows(), snapshotEstimate, retainedWal.get());
    }

    private Optional<Duration> lag() {
        Instant last = writer.progress().lastSourceCommit();
        return last == null ? Optional.empty() : Optional.of(Duration.between(last, Instant.now()));
    }

    /**
     * For {@code /health}: {@code RUNNING} while capturing (snapshot included), {@code FAILED} with the reason once it
     * stopped by itself, {@code STOPPED} after {@link #close()}.
     */
    @Override
    public PartStatus partStatus() {
        Throwable failed = failure.get();
        if (failed != null) {
            return PartStatus.failed(failed);
        }
        return isRunning() ? PartStatus.running() : PartStatus.stopped();
    }

    /** Why capture stopped on its own, if it did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Waits until capture stops (by {@link #close()} or a failure); returns whether it stopped within the timeout. */
    public boolean awaitStop(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isRunning() {
        return stopped.getCount() > 0;
    }

    /**
     * Waits until capture streams from the slot (the initial snapshot, if any, is done and a walsender holds the slot).
     * Changes committed after this returns true are captured even with {@code snapshot: never}.
     */
    public boolean awaitStreaming(Duration timeout) throws InterruptedException {
        String slot = TopicNames.slot(settings.pipeline());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && isRunning()) {
            try {
                if (slots.slot(slot).map(SlotInspector.SlotState::active).orElse(false)) {
                    return true;
                }
            } catch (SQLException e) {
                log.debug("Slot check while waiting for streaming failed: {}", e.getMessage());
            }
            Thread.sleep(100);
        }
        return false;
    }

    private void stopEngine() {
        if (!isRunning()) {
            return;
        }
        try {
            engine.close();
        } catch (Exception e) {
            log.warn("Stopping the Debezium engine failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        monitor.shutdownNow();
        stopEngine();
        engineThread.shutdown();
        try {
            if (!engineThread.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("Capture engine did not stop within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
        topics.close();
        log.info("Capture of pipeline '{}' stopped", settings.pipeline());
    }
}
