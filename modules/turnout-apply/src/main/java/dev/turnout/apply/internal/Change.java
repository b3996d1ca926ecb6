package dev.turnout.apply.internal;

import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One decoded apply record, its values written as text for the target table's column types, ready for a statement.
 *
 * @param record       the apply-topic record it came from
 * @param upsert       true for UPSERT, false for DELETE
 * @param keyColumns   the key's columns, in key order
 * @param keyValues    the key's values as text, in key order
 * @param tombstoneKey the key as one deterministic text (a JSON array of {@code keyValues}), as turnout_tombstones keeps it
 * @param columns      the row image's columns, in mapping order; empty for a delete
 * @param values       their values as text (null for SQL NULL, and for an unavailable column)
 * @param unavailable  which columns the change does not carry (an unchanged TOASTed value)
 * @param lsn          the change's source position
 * @param commitTime   the source commit time, if known
 */
public record Change(ConsumerRecord<byte[], byte[]> record, boolean upsert, List<String> keyColumns,
                     List<String> keyValues, String tombstoneKey, List<String> columns, List<String> values,
                     List<Boolean> unavailable, long lsn, Instant commitTime) {

    public Change {
        keyColumns = List.copyOf(keyColumns);
        keyValues = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(keyValues));
        columns = List.copyOf(columns);
        values = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
        unavailable = List.copyOf(unavailable);
    }

    /** Whether this is an upsert that does not carry every column. */
    public boolean partial() {
        return upsert && unavailable.contains(Boolean.TRUE);
    }

    /** The columns and key this change's statement is written for: changes with the same shape share a statement. */
    public Shape shape() {
        return new Shape(upsert, partial(), keyColumns, columns);
    }

    /** A statement's shape: operation, whether some columns keep their value, key columns and row columns. */
    public record Shape(boolean upsert, boolean partial, List<String> keyColumns, List<String> columns) {
    }
}
