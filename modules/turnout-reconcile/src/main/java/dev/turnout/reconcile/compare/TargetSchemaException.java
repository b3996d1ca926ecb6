package dev.turnout.reconcile.compare;

import java.util.List;

/** Target tables reconciliation cannot use: missing, or keyed otherwise than their mappings. One problem per entry. */
public final class TargetSchemaException extends RuntimeException {

    private final List<String> problems;

    public TargetSchemaException(List<String> problems) {
        super("The target cannot be reconciled: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per table: the table and what is wrong with it. */
    public List<String> problems() {
        return problems;
    }
}
