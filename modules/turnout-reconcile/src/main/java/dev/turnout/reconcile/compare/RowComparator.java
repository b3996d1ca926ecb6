package dev.turnout.reconcile.compare;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.turnout.schemas.apply.ApplyColumn;

/**
 * Compares an expected row with an actual row of one target table, column by column over the table's compared columns
 * ({@link TargetTable#compared()}), with {@link Values#same}. A compared column absent from the actual row (the target
 * table lacks it) is a difference. Stateless.
 */
public final class RowComparator {

    /** Shown as the actual value of a column the target row does not have. */
    public static final String ABSENT = "<no such column in the target>";

    private RowComparator() {
    }

    /** The differing columns, in the mapping's column order; empty when the rows are equal. */
    public static List<Difference> compare(TargetTable table, List<ApplyColumn> expected, List<ApplyColumn> actual) {
        Map<String, Object> exp = byName(expected);
        Map<String, Object> act = byName(actual);
        List<Difference> out = new ArrayList<>();
        for (String column : table.compared()) {
            if (!exp.containsKey(column)) {
                continue;
            }
            Object e = exp.get(column);
            if (!act.containsKey(column)) {
                out.add(new Difference(column, Values.display(e), ABSENT));
                continue;
            }
            Object a = act.get(column);
            if (!Values.same(e, a, table.column(column))) {
                out.add(new Difference(column, Values.display(e), Values.display(a)));
            }
        }
        return out;
    }

    /** Columns by name; null values kept. */
    public static Map<String, Object> byName(List<ApplyColumn> columns) {
        Map<String, Object> out = new HashMap<>(columns.size() * 2);
        columns.forEach(c -> out.put(c.getName(), c.getValue()));
        return out;
    }
}
