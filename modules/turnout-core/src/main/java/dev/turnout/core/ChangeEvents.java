package dev.turnout.core;

/** Facts about Debezium's change events that capture, transform and apply must agree on. */
public final class ChangeEvents {

    /**
     * What an unchanged TOASTed column carries in an update's after image (Debezium's
     * {@code unavailable.value.placeholder}): the value was not in the WAL record, and the target keeps what it has.
     */
    public static final String UNAVAILABLE_VALUE_PLACEHOLDER = "__debezium_unavailable_value";

    private ChangeEvents() {
    }
}
