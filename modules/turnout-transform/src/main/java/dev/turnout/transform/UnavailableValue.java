package dev.turnout.transform;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import dev.turnout.core.ChangeEvents;

/**
 * A target column whose value the change does not carry: an update that left a TOASTed (large, stored out of line)
 * column untouched does not have it in the WAL, so Debezium sends a placeholder, and any target column computed from it
 * cannot be known. The applier must keep the target's existing value for such a column.
 */
public enum UnavailableValue {
    INSTANCE;

    /**
     * Debezium's {@code unavailable.value.placeholder} as capture configures it (the same text as
     * {@code ConnectorProperties.UNAVAILABLE_VALUE_PLACEHOLDER} in turnout-capture, which transform may not import):
     * strings carry it as text, bytes as its UTF-8 bytes, arrays as a one-element list.
     */
    public static final String DEBEZIUM_PLACEHOLDER = ChangeEvents.UNAVAILABLE_VALUE_PLACEHOLDER;

    private static final byte[] PLACEHOLDER_BYTES = DEBEZIUM_PLACEHOLDER.getBytes(StandardCharsets.UTF_8);

    /** Whether a raw source value is Debezium's placeholder for an unchanged TOASTed column. */
    public static boolean isPlaceholder(Object raw) {
        if (raw instanceof String s) {
            return s.equals(DEBEZIUM_PLACEHOLDER);
        }
        if (raw instanceof byte[] b) {
            return Arrays.equals(b, PLACEHOLDER_BYTES);
        }
        if (raw instanceof ByteBuffer b) {
            return b.remaining() == PLACEHOLDER_BYTES.length && b.duplicate().equals(ByteBuffer.wrap(PLACEHOLDER_BYTES));
        }
        if (raw instanceof List<?> l) {
            return l.size() == 1 && isPlaceholder(l.get(0));
        }
        return false;
    }

    @Override
    public String toString() {
        return "<unavailable: unchanged TOASTed value>";
    }
}
