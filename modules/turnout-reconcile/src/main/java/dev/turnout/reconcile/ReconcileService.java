package dev.turnout.reconcile;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.capture.CaptureEngine;
import dev.turnout.capture.CaptureSettings;
import dev.turnout.capture.CaptureStatus;
import dev.turnout.core.TopicNames;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.SnapshotMode;
import dev.turnout.core.config.TableId;
import dev.turnout.core.health.PartHealth;
import dev.turnout.core.health.PartStatus;
import dev.turnout.reconcile.compare.TargetSchemaException;
import dev.turnout.reconcile.compare.TargetTable;
import dev.turnout.reconcile.compare.TargetTables;
import dev.turnout.reconcile.stream.ReconcileStreams;
import dev.turnout.schemas.reconcile.KeyStatus;
import dev.turnout.schemas.reconcile.ReconcileSummary;
import dev.turnout.transform.Mappings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Continuous reconciliation of one pipeline: a capture of the target database (turnout-capture's engine under the
 * pipeline name {@code <pipeline>_target}, slot and publication {@code turnout_<pipeline>_target}) and the reconcile
 * topology ({@link ReconcileStreams}), which compares it, key by key, with the transform's apply topics and publishes
 * per-key statuses and per-table summaries to compacted topics.
 *
 * <p>In {@code replicate} mode the applier writes the target; in {@code dual-write} mode the application does, and the
 * expected side still comes from the transform of the source (run capture and transform as usual, without the
 * applier).
 *
 * <p>Lifecycle: {@link #create} reads the target tables from the target catalog (they must exist, keyed by their
 * mappings' keys); {@link #start()} starts the target's capture, then the topology; {@link #close()} stops both.
 * Failure: either part stopping by itself makes {@link #healthy()} false, {@link #partStatus()} FAILED and
 * {@link #failure()} say why. Metrics: {@code turnout.reconcile.keys{table,status}} and
 * {@code turnout.reconcile.oldest.unresolved{table}} (seconds), from the summary topic; the process's {@code Parts}
 * publishes {@code turnout.part.up{part=reconcile}} from {@link #partStatus()}. The target capture's own meters go to a
 * private registry, so that they do not mix with the source capture's. Thread-safe.
 */
public final class ReconcileService implements PartHealth, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReconcileService.class);

    private final ReconcileSettings settings;
    private final List<TargetTable> tables;
    private final CaptureSettings targetCapture;
    private final ReconcileStreams streams;
    private final MeterRegistry meters;
    private final List<io.micrometer.core.instrument.Meter> registered = new ArrayList<>();
    private CaptureEngine capture;

    /**
     * Reconciliation of the pipeline {@code config} describes, with schemas from {@code registryUrl}.
     *
     * @throws TargetSchemaException if a target table is missing or not keyed by its mapping's key
     * @throws IllegalStateException if the target database cannot be reached
     */
    public static ReconcileService create(LoadedConfig config, Mappings mappings, String registryUrl,
                                          MeterRegistry meters) {
        return new ReconcileService(ReconcileSettings.from(config.config(), registryUrl), mappings, meters);
    }

    public ReconcileService(ReconcileSettings settings, Mappings mappings, MeterRegistry meters) {
        this.settings = settings;
        this.meters = meters;
        try (Connection target = DriverManager.getConnection(settings.targetUrl(), settings.targetUser(),
            settings.targetPassword().reveal())) {
            this.tables = TargetTables.read(mappings, target, settings.ignore());
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the target tables at " + settings.targetUrl() + " as "
                + settings.targetUser() + ": " + e.getMessage(), e);
        }
        this.targetCapture = new CaptureSettings(TopicNames.targetCapture(settings.pipeline()), settings.targetUrl(),
            settings.targetUser(), settings.targetPassword(), tables.stream().map(TargetTable::id).toList(),
            SnapshotMode.INITIAL, settings.bootstrap(), settings.kafkaProperties(), settings.registryUrl(),
            settings.partitions(), settings.heartbeat(), List.of(), "unused");
        this.streams = new ReconcileStreams(settings, tables);
        registerMeters();
    }

    private void registerMeters() {
        for (TargetTable table : tables) {
            String name = table.id().toString();
            for (KeyStatus status : KeyStatus.values()) {
                registered.add(Gauge.builder("turnout.reconcile.keys", () -> count(name, status))
                    .description("Keys of the table in each reconciliation status")
                    .tag("table", name).tag("status", status.name().toLowerCase(Locale.ROOT)).register(meters));
            }
            registered.add(Gauge.builder("turnout.reconcile.oldest.unresolved", () -> oldestUnresolvedSeconds(name))
                .description("Age of the oldest MISMATCH, MISSING or EXTRA key; 0 when there is none")
                .baseUnit("seconds").tag("table", name).register(meters));
        }
    }

    private double count(String table, KeyStatus status) {
        return streams.summaries().latest(table).map(s -> switch (status) {
            case MATCH -> s.getMatch();
            case PENDING -> s.getPending();
            case MISMATCH -> s.getMismatch();
            case MISSING -> s.getMissing();
            case EXTRA -> s.getExtra();
        }).orElse(0L);
    }

    private double oldestUnresolvedSeconds(String table) {
        return streams.summaries().latest(table)
            .filter(s -> s.getOldestUnresolvedAgeMs() != null)
            .map(s -> (s.getOldestUnresolvedAgeMs() + Math.max(0, Duration.between(s.getEmittedAt(), Instant.now())
                .toMillis())) / 1000.0)
            .orElse(0.0);
    }

    /**
     * Starts the target's capture (snapshot of the target tables on first start, then streaming), then the topology.
     *
     * @throws IllegalStateException naming what cannot be used (target database, its wal_level, Kafka)
     */
    public synchronized void start() {
        capture = CaptureEngine.start(targetCapture, new SimpleMeterRegistry());
        try {
            streams.start();
        } catch (RuntimeException e) {
            capture.close();
            throw e;
        }
        log.info("Reconciliation of pipeline '{}' ({} mode) captures the target as '{}' and compares {} table(s)",
            settings.pipeline(), settings.mode().value(), targetCapture.pipeline(), tables.size());
    }

    /** Waits until the target's capture streams and the topology runs; false on timeout or failure. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        CaptureEngine c = capture;
        if (c == null || !c.awaitStreaming(timeout)) {
            return false;
        }
        return streams.awaitRunning(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /** Kafka Streams' state of the topology. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Whether the target's capture runs and the topology runs (or rebalances), and neither has failed. */
    public boolean healthy() {
        return partStatus().isRunning();
    }

    /** RUNNING while both the target's capture and the topology run; FAILED with the reason when either failed. */
    @Override
    public PartStatus partStatus() {
        Optional<ReconcileFailedException> failed = failure();
        if (failed.isPresent()) {
            return PartStatus.failed(failed.get());
        }
        CaptureEngine c = capture;
        if (c == null) {
            return PartStatus.starting();
        }
        if (!c.isRunning()) {
            return PartStatus.stopped();
        }
        return switch (streams.state()) {
            case RUNNING, REBALANCING -> PartStatus.running();
            case CREATED -> PartStatus.starting();
            case PENDING_ERROR, ERROR -> PartStatus.failed("Reconciliation of pipeline '" + settings.pipeline()
                + "' stopped on an error (details in the log)");
            default -> PartStatus.stopped();
        };
    }

    /** Why reconciliation stopped by itself, if it did: the topology's failure, or the target capture's. */
    public Optional<ReconcileFailedException> failure() {
        Optional<ReconcileFailedException> topology = streams.failure();
        if (topology.isPresent()) {
            return topology;
        }
        CaptureEngine c = capture;
        if (c != null && c.failure().isPresent()) {
            Throwable cause = c.failure().get();
            return Optional.of(new ReconcileFailedException("Reconciliation of pipeline '" + settings.pipeline()
                + "' stopped: the capture of the target failed: " + cause.getMessage(), cause));
        }
        return Optional.empty();
    }

    /** The reconciled target tables. */
    public List<TableId> tables() {
        return tables.stream().map(TargetTable::id).toList();
    }

    /** The latest summary of a table read back from the summary topic. */
    public Optional<ReconcileSummary> summary(TableId table) {
        return streams.summaries().latest(table.toString());
    }

    /** The target capture's progress, for status lines; empty before {@link #start()}. */
    public Optional<CaptureStatus> targetCaptureStatus() {
        CaptureEngine c = capture;
        return c == null ? Optional.empty() : Optional.of(c.status());
    }

    /** The settings this instance runs with. */
    public ReconcileSettings settings() {
        return settings;
    }

    /** Stops the topology, then the target's capture, and removes this instance's meters. */
    @Override
    public synchronized void close() {
        streams.close();
        if (capture != null) {
            capture.close();
        }
        registered.forEach(meters::remove);
        log.info("Reconciliation of pipeline '{}' stopped", settings.pipeline());
    }
}
