package dev.turnout.reconcile.verify;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.turnout.reconcile.compare.TargetTable;
import dev.turnout.transform.SourceColumn;
import dev.turnout.transform.SourceSchema;
import dev.turnout.transform.TableMapping;

/**
 * How one table is compared, decided from its mapping and both catalogs before the comparison starts:
 *
 * <ul>
 *   <li><b>Checksums in SQL</b> for the compared columns the mapping copies unchanged and whose source type casts to the
 *       target column's type (the cast is what the applier's write does): possible when the target key is copied from
 *       source columns and there is no {@code where}, so that both sides hold the same keys, and both servers are
 *       PostgreSQL 14 or later (the row hash).</li>
 *   <li><b>An ordered merge in the JVM</b> for the other compared columns (computed ones), applying the mapping to each
 *       source row; for every column when checksums are not possible. Both sides are read in key order by SQL when the
 *       key is copied and of a type whose order the JVM reproduces ({@link KeyOrder}); otherwise both are sorted in the
 *       JVM ({@link ExternalSorter}).</li>
 * </ul>
 * Immutable.
 *
 * @param sourceKey       the source columns the target key copies, in key order; empty when the key is computed
 * @param checksumColumns the target columns compared by checksum, key columns first; empty without checksums
 * @param mergeColumns    the target columns compared by the merge; empty when checksums cover every compared column
 * @param sqlOrder        whether the merge reads both sides in key order from SQL
 * @param textKeysInC     whether checksum ranges compare text keys with {@code COLLATE "C"} (the two sides' key
 *                        collations differ, so their orders could)
 */
record TablePlan(TargetTable table, SourceSchema sourceSchema, ColumnTypes sourceTypes, ColumnTypes targetTypes,
                 Optional<List<String>> sourceKey, List<String> checksumColumns, List<String> mergeColumns,
                 boolean sqlOrder, boolean textKeysInC) {

    /** The first PostgreSQL major version with {@code hash_record_extended}. */
    static final int ROW_HASH_SINCE = 14;

    static TablePlan of(TargetTable table, SourceSchema sourceSchema, Connection source, Connection target)
        throws SQLException {
        TableMapping mapping = table.mapping();
        ColumnTypes sourceTypes = ColumnTypes.read(source, mapping.source());
        ColumnTypes targetTypes = ColumnTypes.read(target, table.id());
        List<String> sourceKey = new ArrayList<>();
        for (String k : table.key()) {
            mapping.copiedFrom(k).ifPresent(sourceKey::add);
        }
        boolean keyCopied = sourceKey.size() == table.key().size();
        boolean checksums = keyCopied && mapping.where().isEmpty() && rowHashAvailable(source)
            && rowHashAvailable(target);
        List<String> checksumColumns = new ArrayList<>();
        List<String> mergeColumns = new ArrayList<>();
        if (checksums) {
            checksumColumns.addAll(table.key());
        }
        for (String column : table.compared()) {
            if (checksums && table.key().contains(column)) {
                continue;
            }
            Optional<String> copied = mapping.copiedFrom(column);
            if (checksums && copied.isPresent() && targetTypes.has(column)
                && castable(source, mapping.source().toString(), copied.get(), targetTypes.type(column))) {
                checksumColumns.add(column);
            } else {
                mergeColumns.add(column);
            }
        }
        boolean sqlOrder = keyCopied;
        boolean textKeysInC = false;
        for (int i = 0; keyCopied && i < table.key().size(); i++) {
            String sourceType = sourceSchema.column(sourceKey.get(i)).map(SourceColumn::type).orElse("");
            String targetType = table.column(table.key().get(i)).map(SourceColumn::type).orElse("");
            sqlOrder &= KeyOrder.ORDERED_TYPES.contains(sourceType) && KeyOrder.ORDERED_TYPES.contains(targetType);
            textKeysInC |= !sourceTypes.collation(sourceKey.get(i)).equals(targetTypes.collation(table.key().get(i)));
        }
        return new TablePlan(table, sourceSchema, sourceTypes, targetTypes,
            keyCopied ? Optional.of(List.copyOf(sourceKey)) : Optional.empty(), List.copyOf(checksumColumns),
            List.copyOf(mergeColumns), sqlOrder, textKeysInC);
    }

    /** Checksums hash rows with {@code hash_record_extended}, new in PostgreSQL 14; older servers are merged instead. */
    private static boolean rowHashAvailable(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseMajorVersion() >= ROW_HASH_SINCE;
    }

    /** Whether PostgreSQL can cast the source column to the target column's type (a plan-time probe, no rows read). */
    private static boolean castable(Connection source, String table, String column, String targetType)
        throws SQLException {
        boolean autoCommit = source.getAutoCommit();
        Savepoint savepoint = autoCommit ? null : source.setSavepoint();
        try (Statement s = source.createStatement()) {
            s.execute("SELECT CAST(" + Sql.id(column) + " AS " + targetType + ") FROM " + quoted(table) + " LIMIT 0");
            return true;
        } catch (SQLException noCast) {
            if (savepoint != null) {
                source.rollback(savepoint);
            }
            return false;
        } finally {
            if (savepoint != null) {
                source.releaseSavepoint(savepoint);
            }
        }
    }

    private static String quoted(String table) {
        return Sql.table(dev.turnout.core.config.TableId.parse(table));
    }

    boolean checksums() {
        return !checksumColumns.isEmpty();
    }

    boolean merge() {
        return !mergeColumns.isEmpty();
    }

    /** The merge compares every compared column when there are no checksums, else the computed ones alone. */
    List<String> mergeCompares() {
        return mergeColumns;
    }

    /** How many key columns the checksum ranges are over. */
    int checksumKeyWidth() {
        return table.key().size();
    }
}
