package dev.turnout.transform;

import java.util.Collection;
import java.util.Optional;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.turnout.transform.internal.ColumnReferences;

/**
 * A checked expression ready to run, or a plain copy of one column, which needs no interpreter. Immutable and
 * thread-safe (CEL programs are).
 *
 * @param text    the expression as written
 * @param reads   the columns it reads
 * @param program the program, empty for a plain copy
 * @param type    its CEL type, as the README names types
 */
record CompiledExpression(String text, ColumnReferences reads, Optional<CelRuntime.Program> program, String type) {

    /** The columns whose values this expression needs: those it names, or all of them when it uses {@code row} whole. */
    Collection<String> needs(Collection<String> allColumns) {
        return reads.wholeRow() ? allColumns : reads.columns();
    }

    /** Evaluates over {@code row}, whose needed columns must have been decoded. */
    Object evaluate(RowValues row) throws CelEvaluationException {
        if (program.isEmpty()) {
            return row.value(reads.copyOf().orElseThrow());
        }
        return program.get().eval(row.activation());
    }
}
