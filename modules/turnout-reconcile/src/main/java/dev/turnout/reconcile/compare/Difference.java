package dev.turnout.reconcile.compare;

/**
 * One compared column whose values differ.
 *
 * @param field    the target column
 * @param expected the expected value as text ({@link Values#display}), null for SQL NULL
 * @param actual   the target's value as text, null for SQL NULL
 */
public record Difference(String field, String expected, String actual) {
}
