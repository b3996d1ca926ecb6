package dev.turnout.reconcile.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.Mode;
import dev.turnout.core.config.Suggestions;
import dev.turnout.core.config.TableId;
import dev.turnout.core.config.TurnoutConfig;
import dev.turnout.reconcile.compare.TargetSchemaException;
import dev.turnout.reconcile.compare.TargetTable;
import dev.turnout.reconcile.compare.TargetTables;
import dev.turnout.schemas.apply.ApplyColumn;
import dev.turnout.transform.CatalogException;
import dev.turnout.transform.CatalogReader;
import dev.turnout.transform.Mappings;

/**
 * {@code turnout verify}: compares the target with what the mappings make of the source, at one source position.
 *
 * <p><b>Round one.</b> The source is read in one REPEATABLE READ snapshot, at position P (its WAL position). In
 * {@code replicate} mode verify first waits until the pipeline has carried every change up to P into the target
 * ({@link PipelineWait}); then each table is compared ({@link TablePlan}: checksums in SQL for copied columns,
 * {@link ChecksumBisection}; an ordered merge in the JVM for computed ones, {@link OrderedMerge}), and every key the
 * checksums flag is compared row by row in the JVM ({@link RowLookup}), which decides.
 *
 * <p><b>Re-checks.</b> The target keeps changing while verify reads it, so a key that differs may only be in flight.
 * Each differing key is compared again, up to {@value #RECHECKS} times, at a new position P' (a new snapshot, after the
 * pipeline has passed P'). In {@code replicate} mode a key whose target row was written from a change beyond the
 * position compared at ({@code _turnout_lsn} > P) is in flight and compared again; a key that still differs otherwise
 * is a difference; a key that is equal is dropped. Keys still in flight after the last re-check are reported as
 * unsettled, not as differences. In {@code dual-write} mode there is no position to wait for and no guard column:
 * differing keys are compared again after {@code settle}, each batch of keys read from the source just before the
 * target, and only keys that differ every time are reported.
 *
 * <p>Stateless; one call is one run, on the calling thread.
 */
public final class Verifier {

    /** How many times a differing key is compared again before it is reported. */
    static final int RECHECKS = 3;
    private static final Logger log = LoggerFactory.getLogger(Verifier.class);

    private Verifier() {
    }

    /**
     * Compares every table of the pipeline {@code loaded} describes (or the one {@code options} names).
     *
     * @throws dev.turnout.core.config.ConfigException if the mappings do not compile against the source catalog
     * @throws VerifyException                          {@code INVALID_INPUT} for an unknown table or a target table
     *                                                  that cannot be compared; {@code FAILED} when a database or
     *                                                  the cluster cannot be used or the pipeline does not catch up
     */
    public static VerifyReport run(LoadedConfig loaded, VerifyOptions options, VerifyProgress progress) {
        TurnoutConfig config = loaded.config();
        Instant started = Instant.now();
        long start = System.nanoTime();
        try (Connection source = Databases.open("source", config.source().url(), config.source().user(),
            config.source().password());
             Connection target = Databases.open("target", config.target().url(), config.target().user(),
                 config.target().password())) {
            CatalogReader catalog = new CatalogReader(source);
            Mappings mappings = Mappings.compile(loaded, catalog);
            List<TargetTable> tables = selected(targets(mappings, target, config), options.table());
            List<TableRun> runs = new ArrayList<>();
            for (TargetTable table : tables) {
                runs.add(new TableRun(TablePlan.of(table, catalog.schema(table.mapping().source()), source, target)));
            }
            boolean replicate = config.mode() == Mode.REPLICATE;
            List<String> notes = new ArrayList<>();
            String firstPosition;
            try (PipelineWait wait = replicate ? new PipelineWait(config,
                tables.stream().map(t -> t.mapping().source()).toList(), tables.stream().map(TargetTable::id).toList(),
                target, options.timeout(), progress) : null) {
                long firstLsn;
                try (SourceSnapshot snapshot = SourceSnapshot.open(source)) {
                    firstLsn = snapshot.lsn();
                    firstPosition = snapshot.lsnText();
                    if (wait != null) {
                        wait.passed(snapshot.lsn(), snapshot.lsnText());
                    }
                    for (TableRun run : runs) {
                        compareAll(run, snapshot, target, options, progress);
                    }
                }
                notes.add(replicate
                    ? "Compared at source position " + firstPosition + ", after capture, the transform and the applier "
                        + "had passed it."
                    : "dual-write mode: there is no pipeline position to wait for and no guard column; keys that differed "
                        + "were compared again after " + PipelineWait.human(options.settle()) + ", up to " + RECHECKS
                        + " times, and only keys that differed every time are reported.");
                for (TableRun run : runs) {
                    if (replicate && !run.plan.table().hasGuard()) {
                        notes.add(run.plan.table().id() + " has no " + TargetTable.GUARD_COLUMN + " column: a key "
                            + "changed since the position cannot be told from a difference at once; every differing "
                            + "key was compared again instead.");
                    }
                }
                long changed = runs.stream().mapToLong(r -> r.changedSinceFirst).sum();
                if (replicate && changed > 0) {
                    notes.add(changed + " key(s) had changed in the target since " + firstPosition + " (_turnout_lsn "
                        + "beyond it); they were compared again at a later position instead of being reported.");
                }
                int rounds = recheck(runs, source, target, wait, options, progress, replicate);
                if (rounds > 0) {
                    notes.add("Differing keys were compared again in " + rounds + " later round(s).");
                }
            }
            for (TableRun run : runs) {
                if (!run.candidates.isEmpty()) {
                    notes.add(run.plan.table().id() + ": " + run.candidates.size() + " key(s) kept changing beyond each "
                        + "position compared at; they are listed as unsettled, neither equal nor proven different.");
                }
            }
            List<VerifyReport.Table> reports = runs.stream().map(r -> r.report(options.samples())).toList();
            return new VerifyReport(config.pipeline(), config.mode().value(), firstPosition, started,
                (System.nanoTime() - start) / 1_000_000, reports, notes);
        } catch (SQLException e) {
            throw new VerifyException(VerifyException.Kind.FAILED, "Verify failed reading a database: "
                + e.getMessage(), e);
        } catch (OrderedMerge.UncheckedSqlException e) {
            throw new VerifyException(VerifyException.Kind.FAILED, "Verify failed reading a database: "
                + e.getMessage(), e.getCause());
        } catch (CatalogException e) {
            throw new VerifyException(VerifyException.Kind.FAILED, e.getMessage(), e);
        }
    }

    private static List<TargetTable> targets(Mappings mappings, Connection target, TurnoutConfig config)
        throws SQLException {
        try {
            return TargetTables.read(mappings, target, config.reconcile().ignore());
        } catch (TargetSchemaException e) {
            throw new VerifyException(VerifyException.Kind.INVALID_INPUT, e.getMessage(), e);
        }
    }

    private static List<TargetTable> selected(List<TargetTable> tables, Optional<String> name) {
        if (name.isEmpty()) {
            return tables;
        }
        TableId wanted;
        try {
            wanted = TableId.parse(name.get());
        } catch (IllegalArgumentException e) {
            throw new VerifyException(VerifyException.Kind.INVALID_INPUT, "--table: " + e.getMessage(), e);
        }
        List<TargetTable> out = tables.stream()
            .filter(t -> t.id().equals(wanted) || t.mapping().source().equals(wanted)).toList();
        if (out.isEmpty()) {
            List<String> names = new ArrayList<>();
            tables.forEach(t -> {
                names.add(t.id().toString());
                names.add(t.mapping().source().toString());
            });
            throw new VerifyException(VerifyException.Kind.INVALID_INPUT, "--table: " + wanted + " is neither a source "
                + "nor a target table of the pipeline" + Suggestions.didYouMean(wanted.toString(), names), null);
        }
        return out;
    }

    /** Round one of a table: checksums and row-by-row comparison of the flagged keys, and the merge. */
    private static void compareAll(TableRun run, SourceSnapshot snapshot, Connection target, VerifyOptions options,
                                   VerifyProgress progress) throws SQLException {
        long began = System.nanoTime();
        TablePlan plan = run.plan;
        TableId id = plan.table().id();
        long estimate = estimate(snapshot.connection(), plan.table().mapping().source());
        Map<List<ApplyColumn>, KeyResult> differing = new LinkedHashMap<>();
        long checksummed = 0;
        if (plan.checksums()) {
            ChecksumBisection.Outcome outcome = new ChecksumBisection(plan, snapshot.connection(), target,
                options.bisectionFactor(), options.bisectionThreshold())
                .run(done -> progress.rows(id, done, Math.max(estimate, done)));
            run.sourceRows = outcome.sourceRows();
            run.targetRows = outcome.targetRows();
            checksummed = outcome.rowsCompared();
            run.rowsCompared = checksummed;
            if (!outcome.keys().isEmpty()) {
                progress.phase(id + ": comparing " + outcome.keys().size() + " flagged key(s) row by row");
                for (KeyResult r : new RowLookup(plan).compare(snapshot.connection(), target, outcome.keys())) {
                    if (r.kind() != KeyResult.Kind.EQUAL) {
                        differing.put(r.key(), r);
                    }
                }
            }
        }
        if (plan.merge()) {
            long offset = checksummed;
            long total = plan.checksums() ? Math.max(estimate, run.sourceRows) * 2 : estimate;
            OrderedMerge.Outcome outcome = new OrderedMerge(plan, plan.mergeCompares(), options.samples())
                .run(snapshot.connection(), target, null, done -> progress.rows(id, offset + done,
                    Math.max(total, offset + done)));
            if (!plan.checksums()) {
                run.sourceRows = outcome.sourceRows();
                run.targetRows = outcome.targetRows();
                run.rowsCompared = outcome.rowsCompared();
            }
            run.unmappable = outcome.unmappableCount();
            run.unmappableSample.addAll(outcome.unmappable());
            for (KeyResult r : outcome.differing()) {
                differing.putIfAbsent(r.key(), r);
            }
        }
        run.candidates = differing;
        run.changedSinceFirst = differing.values().stream().filter(r -> r.changedSince(snapshot.lsn())).count();
        run.nanos += System.nanoTime() - began;
        log.debug("{}: {} compared, {} key(s) differ at first", id, run.rowsCompared, differing.size());
    }

    /** Compares the differing keys again in later rounds; returns how many rounds ran. */
    private static int recheck(List<TableRun> runs, Connection source, Connection target, PipelineWait wait,
                               VerifyOptions options, VerifyProgress progress, boolean replicate) throws SQLException {
        int round = 0;
        while (round < RECHECKS && runs.stream().anyMatch(r -> !r.candidates.isEmpty())) {
            round++;
            boolean last = round == RECHECKS;
            if (!replicate) {
                progress.phase("dual-write: waiting " + PipelineWait.human(options.settle())
                    + " before comparing differing keys again");
                sleep(options.settle());
            }
            // Replicate: one snapshot at a new position, once the pipeline has passed it. Dual-write: no snapshot, so
            // that each batch reads the source just before the target and nothing lies between the two reads.
            SourceSnapshot snapshot = replicate ? SourceSnapshot.open(source) : null;
            try {
                if (snapshot != null) {
                    wait.passed(snapshot.lsn(), snapshot.lsnText());
                }
                for (TableRun run : runs) {
                    if (run.candidates.isEmpty()) {
                        continue;
                    }
                    long began = System.nanoTime();
                    progress.phase(run.plan.table().id() + ": comparing " + run.candidates.size()
                        + " differing key(s) again" + (snapshot == null ? "" : " at " + snapshot.lsnText()));
                    Map<List<ApplyColumn>, KeyResult> now = compareKeys(run,
                        snapshot == null ? source : snapshot.connection(), target);
                    Map<List<ApplyColumn>, KeyResult> next = new LinkedHashMap<>();
                    for (List<ApplyColumn> key : run.candidates.keySet()) {
                        KeyResult r = now.get(key);
                        if (r == null || r.kind() == KeyResult.Kind.EQUAL) {
                            continue;
                        }
                        boolean inFlight = replicate ? r.changedSince(snapshot.lsn()) : !last;
                        if (inFlight) {
                            next.put(key, r);
                        } else {
                            run.confirmed.put(key, r);
                        }
                    }
                    run.candidates = next;
                    run.nanos += System.nanoTime() - began;
                }
            } finally {
                if (snapshot != null) {
                    snapshot.close();
                }
            }
        }
        return round;
    }

    /** The current comparison of a table's candidate keys: point lookups when the key is copied, else a merge. */
    private static Map<List<ApplyColumn>, KeyResult> compareKeys(TableRun run, Connection source, Connection target)
        throws SQLException {
        Map<List<ApplyColumn>, KeyResult> out = new LinkedHashMap<>();
        Optional<RowLookup> lookup = RowLookup.of(run.plan);
        if (lookup.isPresent()) {
            List<List<String>> texts = run.candidates.keySet().stream().map(RowLookup::texts).toList();
            lookup.get().compare(source, target, texts).forEach(r -> out.put(r.key(), r));
        } else {
            Set<List<ApplyColumn>> only = new HashSet<>(run.candidates.keySet());
            new OrderedMerge(run.plan, run.plan.table().compared(), 0)
                .run(source, target, only, done -> { })
                .differing().forEach(r -> out.put(r.key(), r));
        }
        return out;
    }

    private static long estimate(Connection c, TableId table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
            "SELECT GREATEST(reltuples, 0)::bigint FROM pg_catalog.pg_class WHERE oid = to_regclass(?)")) {
            s.setString(1, Sql.table(table));
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VerifyException(VerifyException.Kind.FAILED, "Interrupted while waiting to re-check", e);
        }
    }
}
