package dev.turnout.reconcile.verify;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.turnout.reconcile.compare.Keys;
import dev.turnout.reconcile.compare.TargetTable;
import dev.turnout.schemas.apply.ApplyColumn;
import dev.turnout.transform.MappingEvaluationException;
import dev.turnout.transform.TargetRow;
import dev.turnout.transform.stream.ApplyValues;

/**
 * Rows read by JDBC in the apply contract's form: a source row mapped (the expected row), a target row read through
 * the target table's copy mapping (the actual row), each with its canonical key. Stateless.
 */
final class RowReaders {

    /** One side's row: canonical key, compared columns, and the target's guard column when it has one. */
    record Keyed(List<ApplyColumn> key, List<ApplyColumn> columns, Long lsn) {
    }

    private RowReaders() {
    }

    /**
     * The expected row of the source row at the cursor; empty when the mapping's {@code where} leaves it out.
     *
     * @throws MappingEvaluationException when the mapping cannot map it (the pipeline dead-letters such a row)
     */
    static Optional<Keyed> expected(ResultSet r, TablePlan plan, List<String> columns) throws SQLException {
        Map<String, Object> row = JdbcRows.read(r, plan.sourceSchema());
        Optional<TargetRow> mapped = plan.table().mapping().apply(row);
        if (mapped.isEmpty()) {
            return Optional.empty();
        }
        TargetRow t = mapped.get();
        return Optional.of(new Keyed(Keys.canonical(ApplyValues.key(t.key()).getColumns()), pick(t.values(), columns),
            null));
    }

    /** The source key of the source row at the cursor, for naming a row the mapping cannot map. */
    static String sourceKey(ResultSet r, TablePlan plan) throws SQLException {
        Map<String, Object> row = JdbcRows.read(r, plan.sourceSchema());
        Map<String, Object> key = new LinkedHashMap<>();
        plan.table().mapping().sourceKey().forEach(k -> key.put(k, row.get(k)));
        return key.isEmpty() ? row.toString() : Keys.text(ApplyValues.key(key).getColumns());
    }

    /** The actual row of the target row at the cursor. */
    static Keyed actual(ResultSet r, TablePlan plan, List<String> columns) throws SQLException {
        TargetTable table = plan.table();
        Map<String, Object> values = table.copy().apply(JdbcRows.read(r, table.schema())).orElseThrow().values();
        Map<String, Object> key = new LinkedHashMap<>();
        table.key().forEach(k -> key.put(k, values.get(k)));
        Object guard = values.get(TargetTable.GUARD_COLUMN);
        return new Keyed(Keys.canonical(ApplyValues.key(key).getColumns()), pick(values, columns),
            guard instanceof Number n ? n.longValue() : null);
    }

    private static List<ApplyColumn> pick(Map<String, Object> values, List<String> columns) {
        List<ApplyColumn> out = new ArrayList<>(columns.size());
        for (String c : columns) {
            if (values.containsKey(c)) {
                out.add(new ApplyColumn(c, ApplyValues.toAvro(values.get(c))));
            }
        }
        return out;
    }
}
