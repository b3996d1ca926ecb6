package dev.turnout.apply;

import java.util.List;

/**
 * What {@code turnout schema apply} would do to the target database, and what stops it: existing tables that cannot
 * hold their mapping's output. Immutable.
 *
 * @param steps    DDL statements in the order to run them, each with what it does in words
 * @param problems one line each, naming the table and column; the plan must not run while there are any
 */
public record SchemaPlan(List<Step> steps, List<String> problems) {

    /** One DDL statement. */
    public record Step(String description, String sql) {
    }

    public SchemaPlan {
        steps = List.copyOf(steps);
        problems = List.copyOf(problems);
    }

    /** Whether the target already matches: nothing to run and nothing wrong. */
    public boolean nothingToDo() {
        return steps.isEmpty() && problems.isEmpty();
    }
}
