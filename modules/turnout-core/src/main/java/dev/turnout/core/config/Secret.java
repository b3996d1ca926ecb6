package dev.turnout.core.config;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * A secret config value (a password). {@link #toString()} masks it, so a secret cannot reach a log line, an exception
 * message or {@code config check} output by accident; {@link #reveal()} is the one way to read it.
 */
public final class Secret {

    /** What every secret prints as. */
    public static final String MASK = "******";

    private static final Secret EMPTY = new Secret("");

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    @JsonCreator
    public static Secret of(String value) {
        return value == null || value.isEmpty() ? EMPTY : new Secret(value);
    }

    /** The secret itself, for handing to a driver. Never log it. */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }

    @Override
    public String toString() {
        return MASK;
    }
}
