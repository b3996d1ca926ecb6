package dev.turnout.transform;

import java.util.HashMap;
import java.util.Map;

import dev.turnout.transform.internal.CelValues;
import dev.turnout.transform.internal.ColumnCodec;
import dev.turnout.transform.internal.RowEnvironment;

/**
 * One source row as expressions see it: raw values decoded into CEL values on first use, once per column. An absent
 * column reads as null (a record written before the column was added). Confined to the thread mapping the row.
 */
final class RowValues {

    private final Map<String, ?> raw;
    private final Map<String, ColumnCodec> codecs;
    private final Map<String, Object> decoded = new HashMap<>();
    private final Map<String, Object> activation = Map.of(RowEnvironment.ROW, decoded);

    RowValues(Map<String, ?> raw, Map<String, ColumnCodec> codecs) {
        this.raw = raw;
        this.codecs = codecs;
    }

    /** Whether the change does not carry this column (Debezium's placeholder for an unchanged TOASTed value). */
    boolean unavailable(String column) {
        return UnavailableValue.isPlaceholder(raw.get(column));
    }

    /** The column's CEL value; throws {@link IllegalArgumentException} naming the column if its raw value is off-type. */
    Object value(String column) {
        Object value = decoded.get(column);
        if (value == null) {
            try {
                value = codecs.get(column).decode(raw.get(column));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new IllegalArgumentException("column " + column + ": " + e.getMessage(), e);
            }
            decoded.put(column, value == null ? CelValues.NULL : value);
        }
        return value;
    }

    /** The variables of an evaluation: {@code row}, holding every column decoded so far. */
    Map<String, ?> activation() {
        return activation;
    }
}
