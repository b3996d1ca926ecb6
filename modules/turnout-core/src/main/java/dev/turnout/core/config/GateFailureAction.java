package dev.turnout.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import dev.turnout.core.config.spec.ConfigEnum;

/** What the rollout guard does when a gate has failed for {@code rollout.failFor}. */
public enum GateFailureAction implements ConfigEnum {
    /** Record the rollout as held: it stays where it is and {@code advance} refuses until the gates pass. */
    HOLD("hold"),
    /** Roll the rollout back to 0 % at once. */
    ROLLBACK("rollback");

    private final String value;

    GateFailureAction(String value) {
        this.value = value;
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @JsonCreator
    public static GateFailureAction fromValue(String value) {
        return ConfigEnums.fromValue(GateFailureAction.class, value);
    }
}
