package dev.turnout.transform.internal;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;

/**
 * Which columns of {@code row} an expression reads, found in its syntax tree: every {@code row.<column>} (and
 * {@code has(row.<column>)}). Used to name unknown columns before type-checking, to know which columns a row must
 * carry for an expression, and to see that an expression is a plain copy of one column. Immutable.
 *
 * @param columns   the columns read, in the order they first appear
 * @param wholeRow  whether {@code row} is also used other than to select a column, so every column may be read
 * @param copyOf    the column, if the whole expression is {@code row.<column>}
 */
public record ColumnReferences(Set<String> columns, boolean wholeRow, Optional<String> copyOf) {

    public ColumnReferences {
        columns = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(columns));
    }

    /** The references of a parsed (not necessarily checked) expression. */
    public static ColumnReferences of(CelAbstractSyntaxTree ast) {
        Set<String> columns = new LinkedHashSet<>();
        boolean wholeRow = false;
        for (CelNavigableExpr node : (Iterable<CelNavigableExpr>) CelNavigableAst.fromAst(ast).getRoot().allNodes()::iterator) {
            Optional<String> column = selectedColumn(node.expr());
            if (column.isPresent()) {
                columns.add(column.get());
            } else if (isRow(node.expr())) {
                boolean selected = node.parent().map(p -> selectedColumn(p.expr()).isPresent()).orElse(false);
                wholeRow |= !selected;
            }
        }
        CelExpr root = ast.getExpr();
        Optional<String> copyOf = root.exprKind().getKind() == CelExpr.ExprKind.Kind.SELECT
            && !root.select().testOnly() ? selectedColumn(root) : Optional.empty();
        return new ColumnReferences(columns, wholeRow, copyOf);
    }

    private static Optional<String> selectedColumn(CelExpr expr) {
        if (expr.exprKind().getKind() == CelExpr.ExprKind.Kind.SELECT && isRow(expr.select().operand())) {
            return Optional.of(expr.select().field());
        }
        return Optional.empty();
    }

    private static boolean isRow(CelExpr expr) {
        return expr.exprKind().getKind() == CelExpr.ExprKind.Kind.IDENT
            && expr.ident().name().equals(RowEnvironment.ROW);
    }
}
