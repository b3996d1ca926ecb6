package dev.turnout.reconcile.verify;

import java.time.Instant;
import java.util.List;

import dev.turnout.reconcile.compare.Difference;

/**
 * What {@code turnout verify} found, as written to {@code --report FILE} (JSON). Immutable.
 *
 * @param pipeline    the pipeline
 * @param mode        {@code replicate} or {@code dual-write}
 * @param sourceLsn   the source position compared at first, as PostgreSQL prints it ({@code 0/16B3A28})
 * @param startedAt   when verify started
 * @param durationMs  how long it took, waits included
 * @param tables      one entry per compared table
 * @param notes       how the comparison went, in sentences (re-checks, keys changed since the position, ...)
 */
public record VerifyReport(String pipeline, String mode, String sourceLsn, Instant startedAt, long durationMs,
                           List<Table> tables, List<String> notes) {

    public VerifyReport {
        tables = List.copyOf(tables);
        notes = List.copyOf(notes);
    }

    /** Whether every table is equal on both sides. */
    public boolean equal() {
        return tables.stream().allMatch(Table::equal);
    }

    /**
     * One table.
     *
     * @param source          the source table
     * @param target          the target table
     * @param method          {@code checksum}, {@code merge} or {@code checksum+merge}
     * @param sourceRows      rows of the source table at the compared position
     * @param targetRows      rows of the target table when read
     * @param rowsCompared    keys compared (equal ranges count their rows)
     * @param rowsPerSecond   rows compared per second of this table's comparison
     * @param durationMs      this table's comparison time, re-checks included
     * @param missing         keys expected in the target and absent from it
     * @param extra           keys only the target has
     * @param mismatched      keys whose rows differ
     * @param unmappable      source rows the mapping cannot map (the pipeline dead-letters them)
     * @param unsettled       keys that kept changing beyond each compared position; neither equal nor proven different
     * @param missingSample   some missing keys, as {@code col=value}
     * @param extraSample     some extra keys
     * @param mismatchSample  some mismatching keys with their differing fields
     * @param unmappableSample some unmappable source rows, by source key, with the reason
     * @param unsettledSample some unsettled keys
     */
    public record Table(String source, String target, String method, long sourceRows, long targetRows,
                        long rowsCompared, double rowsPerSecond, long durationMs, long missing, long extra,
                        long mismatched, long unmappable, long unsettled, List<String> missingSample,
                        List<String> extraSample, List<Mismatch> mismatchSample, List<String> unmappableSample,
                        List<String> unsettledSample) {

        public Table {
            missingSample = List.copyOf(missingSample);
            extraSample = List.copyOf(extraSample);
            mismatchSample = List.copyOf(mismatchSample);
            unmappableSample = List.copyOf(unmappableSample);
            unsettledSample = List.copyOf(unsettledSample);
        }

        /** No key missing, extra or mismatching, and no source row the mapping cannot map. */
        public boolean equal() {
            return missing == 0 && extra == 0 && mismatched == 0 && unmappable == 0;
        }
    }

    /** A mismatching key and the fields that differ, expected and actual values as text. */
    public record Mismatch(String key, List<Difference> fields) {
        public Mismatch {
            fields = List.copyOf(fields);
        }
    }
}
