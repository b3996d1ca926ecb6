package dev.turnout.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import dev.turnout.core.config.spec.ConfigEnum;

/** When capture snapshots the source tables (Debezium's {@code snapshot.mode}). */
public enum SnapshotMode implements ConfigEnum {
    /** Snapshot once, when no capture offset exists yet, then stream. */
    INITIAL("initial"),
    /** Never snapshot; stream from the slot's position. */
    NEVER("never"),
    /** Snapshot at every start, then stream. */
    ALWAYS("always");

    private final String value;

    SnapshotMode(String value) {
        this.value = value;
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @JsonCreator
    public static SnapshotMode fromValue(String value) {
        return ConfigEnums.fromValue(SnapshotMode.class, value);
    }
}
