package dev.turnout.apply.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.core.config.TableId;

/**
 * Writes one partition's records to the target, a batch at a time, each batch in one target transaction: the offset
 * (fenced), the rows, and, before the commit, the batch's poison records to the dead-letter topic. Outages (target,
 * registry, dead-letter topic) are retried with backoff on the same records, never skipping one. Called from the
 * applier's worker threads, one partition per call; thread-safe as its parts are.
 */
public final class BatchApplier {

    private static final Logger log = LoggerFactory.getLogger(BatchApplier.class);

    private final DataSource target;
    private final String targetUrl;
    private final OffsetStore offsets;
    private final TableWriters writers;
    private final ChangeDecoder decoder;
    private final DeadLetterWriter deadLetters;
    private final ApplyMetrics metrics;
    private final int batchSize;
    private final BooleanSupplier stopping;
    private final RetryListener retries;

    /** Told when work starts failing transiently and when it succeeds again, for the applier's health. */
    public interface RetryListener {
        void retrying(String why);

        void recovered();
    }

    /** How a partition's records ended. */
    public record Outcome(Kind kind, long nextOffset, Throwable failure) {

        public enum Kind {
            /** Everything was written; the partition's next offset is {@code nextOffset}. */
            COMMITTED,
            /** Another applier moved the stored offset: this one must re-read it before going on. */
            FENCED,
            /** The applier is stopping; the unwritten records are read again on the next start. */
            STOPPED,
            /** A problem retrying cannot fix; {@code failure} says what. */
            FAILED
        }

        static Outcome committed(long next) {
            return new Outcome(Kind.COMMITTED, next, null);
        }

        static Outcome of(Kind kind, long next) {
            return new Outcome(kind, next, null);
        }

        static Outcome failed(long next, Throwable failure) {
            return new Outcome(Kind.FAILED, next, failure);
        }
    }

    /** A problem that stops the applier: a schema mismatch or a database error that is neither a value nor an outage. */
    public static final class ApplyFailure extends Exception {
        ApplyFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public BatchApplier(DataSource target, String targetUrl, OffsetStore offsets, TableWriters writers,
                        ChangeDecoder decoder, DeadLetterWriter deadLetters, ApplyMetrics metrics, int batchSize,
                        BooleanSupplier stopping, RetryListener retries) {
        this.target = target;
        this.targetUrl = targetUrl;
        this.offsets = offsets;
        this.writers = writers;
        this.decoder = decoder;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.batchSize = batchSize;
        this.stopping = stopping;
        this.retries = retries;
    }

    /**
     * Writes {@code records} (one partition's, in offset order, none below {@code expected}) in batches.
     *
     * @param expected the partition's next offset as stored in the target, empty if never stored
     */
    public Outcome apply(TopicPartition tp, TableId table, List<ConsumerRecord<byte[], byte[]>> records,
                         OptionalLong expected) {
        OptionalLong stored = expected;
        for (int from = 0; from < records.size(); from += batchSize) {
            List<ConsumerRecord<byte[], byte[]>> batch = records.subList(from, Math.min(records.size(), from + batchSize));
            Outcome outcome = applyBatch(tp, table, batch, stored);
            if (outcome.kind() != Outcome.Kind.COMMITTED) {
                return outcome;
            }
            stored = OptionalLong.of(outcome.nextOffset());
        }
        return Outcome.committed(stored.orElseThrow());
    }

    private Outcome applyBatch(TopicPartition tp, TableId table, List<ConsumerRecord<byte[], byte[]>> batch,
                               OptionalLong expected) {
        long next = batch.get(batch.size() - 1).offset() + 1;
        Backoff backoff = new Backoff();
        boolean refreshed = false;
        while (true) {
            if (stopping.getAsBoolean()) {
                return Outcome.of(Outcome.Kind.STOPPED, next);
            }
            String why;
            try {
                Outcome outcome = attempt(tp, table, batch, expected, next);
                if (backoff.attempts() > 0) {
                    retries.recovered();
                    log.info("Applying {} to {} works again after {} retries", tp, table, backoff.attempts());
                }
                return outcome;
            } catch (SchemaMismatchException e) {
                if (refreshed) {
                    return Outcome.failed(next, new ApplyFailure(e.getMessage(), e));
                }
                refreshed = true;
                if (!refresh(table)) {
                    return Outcome.failed(next, new ApplyFailure(e.getMessage(), e));
                }
                continue;
            } catch (SQLException e) {
                if (!SqlErrors.isTransient(e)) {
                    return Outcome.failed(next, new ApplyFailure("Applying " + tp + " to " + table + " at " + targetUrl
                        + " failed: " + SqlErrors.message(e) + " [SQLSTATE " + e.getSQLState() + "]; the applier stopped "
                        + "before offset " + batch.get(0).offset() + ", and nothing from there on was written", e));
                }
                why = "target database at " + targetUrl + " unavailable: " + SqlErrors.message(e);
            } catch (ChangeDecoder.RegistryUnavailableException e) {
                why = e.getMessage();
            } catch (DeadLetterWriter.DeadLetterException e) {
                why = e.getMessage();
            }
            retries.retrying(why);
            log.warn("Cannot apply {} (offsets {}..{}) to {}: {}; retrying in {} ms", tp, batch.get(0).offset(),
                next - 1, table, why, backoff.nextDelay().toMillis());
            if (!backoff.await(stopping)) {
                return Outcome.of(Outcome.Kind.STOPPED, next);
            }
        }
    }

    private boolean refresh(TableId table) {
        try (Connection c = target.getConnection()) {
            writers.refresh(c, table);
            return true;
        } catch (SQLException | SchemaMismatchException e) {
            log.debug("Re-reading {} from the target catalog failed: {}", table, e.toString());
            return false;
        }
    }

    private Outcome attempt(TopicPartition tp, TableId table, List<ConsumerRecord<byte[], byte[]>> batch,
                            OptionalLong expected, long next)
        throws SQLException, SchemaMismatchException, DeadLetterWriter.DeadLetterException {
        long started = System.nanoTime();
        TableWriter writer = writers.get(table);
        List<Change> changes = new ArrayList<>();
        List<Poison> poison = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            ChangeDecoder.Decoded d = decoder.decode(r, writer.table());
            if (d.change() != null) {
                changes.add(d.change());
            } else {
                poison.add(d.poison());
            }
        }
        Rounds rounds = Rounds.of(changes);
        TableWriter.Result result = new TableWriter.Result();
        try (Connection c = target.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!offsets.advance(c, tp, expected, next)) {
                    c.rollback();
                    log.warn("Offsets of {} moved under this applier (another instance owns the partition now); "
                        + "re-reading them", tp);
                    return Outcome.of(Outcome.Kind.FENCED, next);
                }
                for (List<Change> round : rounds.rounds()) {
                    result.addAll(writer.write(c, round));
                }
                poison.addAll(result.poison());
                // The dead-letter records are on the broker before the transaction that moves past them commits: a
                // crash in between writes them again on replay, never loses them.
                deadLetters.send(poison);
                c.commit();
            } catch (SQLException | SchemaMismatchException | DeadLetterWriter.DeadLetterException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        }
        Instant committed = Instant.now();
        record(table, rounds, result, poison, committed, Duration.ofNanos(System.nanoTime() - started));
        return Outcome.committed(next);
    }

    private void record(TableId table, Rounds rounds, TableWriter.Result result, List<Poison> poison, Instant committed,
                        Duration took) {
        metrics.batch(table, took);
        count(table, result.written(), ApplyMetrics.Outcome.WRITTEN);
        count(table, result.skipped(), ApplyMetrics.Outcome.SKIPPED_OLDER);
        count(table, rounds.superseded(), ApplyMetrics.Outcome.SKIPPED_OLDER);
        for (Change c : result.written()) {
            if (c.commitTime() != null) {
                metrics.visible(Duration.between(c.commitTime(), committed));
            }
        }
        for (Poison p : poison) {
            metrics.deadLettered(table);
            log.warn("Poison record {}-{}@{} sent to the dead-letter topic {}: {}", p.record().topic(),
                p.record().partition(), p.record().offset(), deadLetters.topic(), p.summary());
        }
    }

    private void count(TableId table, List<Change> changes, ApplyMetrics.Outcome outcome) {
        long upserts = changes.stream().filter(Change::upsert).count();
        metrics.rows(table, true, outcome, upserts);
        metrics.rows(table, false, outcome, changes.size() - upserts);
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
