package dev.turnout.core.registry;

import java.util.List;

/** The answer to a compatibility check: whether the schema is compatible, and the registry's reasons if not. */
public record CompatibilityResult(boolean compatible, List<String> messages) {

    public CompatibilityResult {
        messages = List.copyOf(messages);
    }
}
