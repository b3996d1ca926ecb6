package dev.turnout.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import dev.turnout.core.config.spec.ConfigEnum;

/** How the target database is kept in step with the source. */
public enum Mode implements ConfigEnum {
    /** Turnout captures the source, transforms and applies to the target. */
    REPLICATE("replicate"),
    /** The application writes both databases; Turnout captures both and only reconciles. */
    DUAL_WRITE("dual-write");

    private final String value;

    Mode(String value) {
        this.value = value;
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @JsonCreator
    public static Mode fromValue(String value) {
        return ConfigEnums.fromValue(Mode.class, value);
    }
}
