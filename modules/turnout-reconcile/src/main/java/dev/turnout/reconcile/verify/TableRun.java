package dev.turnout.reconcile.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.turnout.reconcile.compare.Keys;
import dev.turnout.schemas.apply.ApplyColumn;

/**
 * The comparison of one table across rounds: counts from the first round, the keys still to be compared again, the
 * keys proven different, and the time spent. Confined to the verifying thread.
 */
final class TableRun {

    final TablePlan plan;
    long sourceRows;
    long targetRows;
    long rowsCompared;
    long unmappable;
    final List<String> unmappableSample = new ArrayList<>();
    long nanos;
    /** Keys that differed in the last round and are compared again in the next. */
    Map<List<ApplyColumn>, KeyResult> candidates = new LinkedHashMap<>();
    /** Keys proven different, with their latest comparison. */
    final Map<List<ApplyColumn>, KeyResult> confirmed = new LinkedHashMap<>();
    /** Keys changed beyond the first position: how many the first round saw. */
    long changedSinceFirst;

    TableRun(TablePlan plan) {
        this.plan = plan;
    }

    String method() {
        return plan.checksums() && plan.merge() ? "checksum+merge" : plan.checksums() ? "checksum" : "merge";
    }

    VerifyReport.Table report(int samples) {
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        List<VerifyReport.Mismatch> mismatched = new ArrayList<>();
        long missingCount = 0;
        long extraCount = 0;
        long mismatchCount = 0;
        for (KeyResult r : confirmed.values()) {
            switch (r.kind()) {
                case MISSING -> {
                    missingCount++;
                    if (missing.size() < samples) {
                        missing.add(Keys.text(r.key()));
                    }
                }
                case EXTRA -> {
                    extraCount++;
                    if (extra.size() < samples) {
                        extra.add(Keys.text(r.key()));
                    }
                }
                case MISMATCH -> {
                    mismatchCount++;
                    if (mismatched.size() < samples) {
                        mismatched.add(new VerifyReport.Mismatch(Keys.text(r.key()), r.differences()));
                    }
                }
                default -> {
                }
            }
        }
        List<String> unsettled = candidates.keySet().stream().limit(samples).map(Keys::text).toList();
        double seconds = Math.max(nanos / 1e9, 1e-3);
        return new VerifyReport.Table(plan.table().mapping().source().toString(), plan.table().id().toString(), method(),
            sourceRows, targetRows, rowsCompared, Math.round(rowsCompared / seconds * 10) / 10.0, nanos / 1_000_000,
            missingCount, extraCount, mismatchCount, unmappable, candidates.size(), missing, extra, mismatched,
            unmappableSample, unsettled);
    }
}
