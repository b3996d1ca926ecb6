package dev.turnout.transform;

/**
 * One column of a target table and how it is computed.
 *
 * @param name       the target column
 * @param expression the CEL expression over {@code row}; {@code row.<column>} for a copied column
 * @param type       the expression's CEL type as the README names it ({@code string}, {@code int}, {@code decimal},
 *                   {@code timestamp}, {@code list(string)}, {@code dyn})
 */
public record TargetColumn(String name, String expression, String type) {
}
