package dev.turnout.core.registry;

import java.util.Locale;
import java.util.Optional;

/**
 * A subject's compatibility rule, as Confluent Schema Registry names them. BACKWARD: a new schema reads data written with
 * the previous one. FORWARD: the previous schema reads data written with the new one. FULL: both. The TRANSITIVE forms
 * check against every earlier version instead of only the latest. NONE: no check.
 */
public enum CompatibilityLevel {
    NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE;

    /** The registry's default. */
    public static final CompatibilityLevel DEFAULT = BACKWARD;

    /** Parses a level as the REST API writes it; empty for anything else. */
    public static Optional<CompatibilityLevel> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether a new schema must be readable by (or read) every earlier version rather than only the latest. */
    public boolean transitive() {
        return name().endsWith("_TRANSITIVE");
    }

    /** Whether the new schema, as reader, must read data written with earlier schemas. */
    public boolean checksBackward() {
        return this != NONE && !name().startsWith("FORWARD");
    }

    /** Whether earlier schemas, as readers, must read data written with the new schema. */
    public boolean checksForward() {
        return name().startsWith("FORWARD") || name().startsWith("FULL");
    }
}
