package dev.turnout.transform;

import java.util.Optional;

import dev.turnout.core.config.TableId;

/**
 * A row that its mapping cannot map: an expression failed on it (no matching overload for a null, division by zero, a
 * value that does not parse), a key column came out null, a column's raw value is not what its type promises, or the
 * {@code where} filter reads a column the change does not carry. Specific to the row: the transform routes the record
 * to the dead-letter topic and carries on. The message names the table, the column (or the filter) and the expression,
 * never a value of the row.
 */
public final class MappingEvaluationException extends RuntimeException {

    private final TableId table;
    private final transient Optional<String> column;
    private final String expression;

    MappingEvaluationException(TableId table, Optional<String> column, String expression, String reason,
                               Throwable cause) {
        super(table + ": " + column.map(c -> "column " + c).orElse("where") + " = " + expression + ": " + reason,
            cause);
        this.table = table;
        this.column = column;
        this.expression = expression;
    }

    /** The source table of the row. */
    public TableId table() {
        return table;
    }

    /** The target column whose expression failed; empty when it is the {@code where} filter. */
    public Optional<String> column() {
        return column;
    }

    /** The failing expression, as written in the config. */
    public String expression() {
        return expression;
    }
}
