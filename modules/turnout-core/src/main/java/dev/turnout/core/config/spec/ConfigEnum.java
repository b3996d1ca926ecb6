package dev.turnout.core.config.spec;

/** An enum whose constants are written in config files by a string value ({@code dual-write}, not {@code DUAL_WRITE}). */
public interface ConfigEnum {

    /** The value as written in YAML. */
    String value();
}
