package dev.turnout.reconcile.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.turnout.reconcile.compare.Difference;
import dev.turnout.reconcile.compare.RowComparator;
import dev.turnout.schemas.apply.ApplyColumn;
import dev.turnout.transform.MappingEvaluationException;

/**
 * Fetches the rows of given keys from both sides (in batches, {@code IN} lists of key tuples) and compares them in the
 * JVM over every compared column: the authority on the keys the checksums or an earlier round flagged. Keys travel as
 * text, bound cast to each side's key type. Only for tables whose target key is copied from source columns.
 */
final class RowLookup {

    private static final int BATCH = 500;

    private final TablePlan plan;

    RowLookup(TablePlan plan) {
        this.plan = plan;
    }

    /** The comparison of each key found on either side; keys found on neither are equal (gone from both). */
    List<KeyResult> compare(Connection source, Connection target, Collection<List<String>> keys) throws SQLException {
        List<List<String>> all = new ArrayList<>(keys);
        List<KeyResult> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += BATCH) {
            List<List<String>> batch = all.subList(from, Math.min(all.size(), from + BATCH));
            Map<List<ApplyColumn>, RowReaders.Keyed> expected = new LinkedHashMap<>();
            Map<List<ApplyColumn>, RowReaders.Keyed> actual = new LinkedHashMap<>();
            List<String> columns = plan.table().compared();
            try (PreparedStatement s = source.prepareStatement(query(true, batch.size()))) {
                bind(s, batch);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        try {
                            RowReaders.expected(r, plan, columns).ifPresent(k -> expected.put(k.key(), k));
                        } catch (MappingEvaluationException e) {
                            // Counted by the full comparison; here the row simply has no expected form.
                        }
                    }
                }
            }
            try (PreparedStatement s = target.prepareStatement(query(false, batch.size()))) {
                bind(s, batch);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        RowReaders.Keyed k = RowReaders.actual(r, plan, columns);
                        actual.put(k.key(), k);
                    }
                }
            }
            expected.forEach((key, e) -> out.add(result(e, actual.remove(key))));
            actual.forEach((key, a) -> out.add(new KeyResult(key, KeyResult.Kind.EXTRA, List.of(), a.lsn())));
        }
        return out;
    }

    private KeyResult result(RowReaders.Keyed expected, RowReaders.Keyed actual) {
        if (actual == null) {
            return new KeyResult(expected.key(), KeyResult.Kind.MISSING, List.of(), null);
        }
        List<Difference> differences = RowComparator.compare(plan.table(), expected.columns(), actual.columns());
        return new KeyResult(expected.key(), differences.isEmpty() ? KeyResult.Kind.EQUAL : KeyResult.Kind.MISMATCH,
            differences, actual.lsn());
    }

    private String query(boolean source, int keys) {
        List<String> columns = source ? plan.sourceKey().orElseThrow() : plan.table().key();
        List<String> types = new ArrayList<>();
        for (String c : columns) {
            types.add(source ? plan.sourceTypes().type(c) : plan.targetTypes().type(c));
        }
        String tuple = Sql.tuple(columns.stream().map(Sql::id).toList());
        List<String> params = new ArrayList<>(keys);
        for (int i = 0; i < keys; i++) {
            params.add(Sql.params(types));
        }
        return "SELECT " + JdbcRows.selectAll(source ? plan.sourceSchema() : plan.table().schema()) + " FROM "
            + Sql.table(source ? plan.table().mapping().source() : plan.table().id()) + " WHERE " + tuple + " IN ("
            + Sql.list(params) + ")";
    }

    private static void bind(PreparedStatement s, List<List<String>> keys) throws SQLException {
        int i = 1;
        for (List<String> key : keys) {
            for (String v : key) {
                s.setString(i++, v);
            }
        }
    }

    /** The key as the texts a lookup binds. */
    static List<String> texts(List<ApplyColumn> key) {
        List<String> out = new ArrayList<>(key.size());
        key.forEach(c -> out.add(c.getValue() == null ? null : dev.turnout.reconcile.compare.Values.text(c.getValue())));
        return out;
    }

    static Optional<RowLookup> of(TablePlan plan) {
        return plan.sourceKey().isPresent() ? Optional.of(new RowLookup(plan)) : Optional.empty();
    }
}
