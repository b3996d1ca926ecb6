package dev.turnout.transform.internal;

import java.util.ArrayList;
import java.util.List;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;

/**
 * Checks at load what the type checker cannot: arguments written as literals that a function would reject on every
 * row (a date-time pattern, a time zone, a JSON path). Stateless.
 */
public final class ConstantArguments {

    private ConstantArguments() {
    }

    /** One message per bad literal argument, in the order they appear. */
    public static List<String> problems(CelAbstractSyntaxTree ast) {
        List<String> problems = new ArrayList<>();
        for (CelNavigableExpr node : (Iterable<CelNavigableExpr>) CelNavigableAst.fromAst(ast).getRoot().allNodes()::iterator) {
            CelExpr expr = node.expr();
            if (expr.exprKind().getKind() != CelExpr.ExprKind.Kind.CALL || expr.call().target().isPresent()) {
                continue;
            }
            String function = expr.call().function();
            List<CelExpr> args = expr.call().args();
            try {
                if (TimeFunctions.PATTERN_FUNCTIONS.contains(function)) {
                    constant(args, 1).ifPresent(TimeFunctions::pattern);
                    constant(args, 2).ifPresent(TimeFunctions::zone);
                } else if (function.equals("json") || function.equals("jsonText")) {
                    constant(args, 1).ifPresent(JsonFunctions::pointer);
                }
            } catch (IllegalArgumentException e) {
                problems.add(function + "(): " + e.getMessage());
            }
        }
        return problems;
    }

    private static java.util.Optional<String> constant(List<CelExpr> args, int index) {
        if (index >= args.size()) {
            return java.util.Optional.empty();
        }
        CelExpr arg = args.get(index);
        if (arg.exprKind().getKind() == CelExpr.ExprKind.Kind.CONSTANT
            && arg.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
            return java.util.Optional.of(arg.constant().stringValue());
        }
        return java.util.Optional.empty();
    }
}
