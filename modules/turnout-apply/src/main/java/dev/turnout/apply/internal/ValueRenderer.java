package dev.turnout.apply.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Iterator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.turnout.schemas.apply.DecimalValue;
import dev.turnout.schemas.apply.IntervalValue;
import dev.turnout.schemas.apply.JsonValue;
import dev.turnout.schemas.apply.TimestampValue;
import dev.turnout.schemas.apply.Unavailable;

/**
 * Writes an apply-record value as the text PostgreSQL reads for the target column's type; the statement casts it. A
 * value the type cannot read is not caught here: PostgreSQL's cast rejects it, and the record becomes poison with
 * PostgreSQL's message. Stateless and thread-safe.
 */
public final class ValueRenderer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private ValueRenderer() {
    }

    /** A value the target column cannot take in any form; the message names the problem, never the value. */
    public static final class RenderException extends Exception {
        RenderException(String message) {
            super(message);
        }
    }

    /** Whether a value is the TOAST marker: the change does not carry the column. */
    public static boolean isUnavailable(Object value) {
        return value instanceof Unavailable;
    }

    /**
     * The text of {@code value} for {@code column}, or null for SQL NULL.
     *
     * @throws RenderException for a JSON value that is not an array where the column is one, or a TOAST marker
     */
    public static String render(Object value, TargetColumnInfo column) throws RenderException {
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean || value instanceof Long || value instanceof String) {
            return value.toString();
        }
        if (value instanceof Double d) {
            // Java's NaN, Infinity and -Infinity are also PostgreSQL's spellings.
            return d.toString();
        }
        if (value instanceof ByteBuffer bytes) {
            ByteBuffer copy = bytes.duplicate();
            byte[] b = new byte[copy.remaining()];
            copy.get(b);
            return "\\x" + HexFormat.of().formatHex(b);
        }
        if (value instanceof DecimalValue decimal) {
            return decimal(decimal).toPlainString();
        }
        if (value instanceof TimestampValue ts) {
            return timestamp(ts.getEpochMicros(), column);
        }
        if (value instanceof IntervalValue interval) {
            return interval(interval.getMicros(), column);
        }
        if (value instanceof JsonValue json) {
            return column.isArray() ? arrayLiteral(json.getJson()) : json.getJson();
        }
        if (value instanceof Unavailable) {
            throw new RenderException("the change does not carry this column (an unchanged TOASTed value)");
        }
        throw new RenderException("unexpected value type " + value.getClass().getSimpleName());
    }

    static BigDecimal decimal(DecimalValue decimal) {
        ByteBuffer copy = decimal.getUnscaled().duplicate();
        byte[] b = new byte[copy.remaining()];
        copy.get(b);
        return new BigDecimal(b.length == 0 ? BigInteger.ZERO : new BigInteger(b), decimal.getScale());
    }

    private static String timestamp(long epochMicros, TargetColumnInfo column) {
        Instant instant = Instant.EPOCH.plusSeconds(Math.floorDiv(epochMicros, 1_000_000L))
            .plusNanos(Math.floorMod(epochMicros, 1_000_000L) * 1_000L);
        OffsetDateTime utc = instant.atOffset(ZoneOffset.UTC);
        // Patterns use year-of-era ("yyyy"), so years before 1 need PostgreSQL's "BC" suffix.
        String era = utc.getYear() > 0 ? "" : " BC";
        if (column.isDate()) {
            return utc.format(DATE) + era;
        }
        if (column.isTimeOfDay()) {
            return utc.toLocalTime().format(TIME);
        }
        // PostgreSQL reads "+00" as UTC for timestamptz and ignores the offset for timestamp (a UTC wall clock).
        return utc.format(TIMESTAMP) + "+00" + era;
    }

    private static String interval(long micros, TargetColumnInfo column) {
        if (column.isTimeOfDay() && micros >= 0 && micros <= MICROS_PER_DAY) {
            return micros == MICROS_PER_DAY ? "24:00:00" : LocalTime.ofNanoOfDay(micros * 1_000L).format(TIME);
        }
        if (column.isInterval()) {
            return micros + " microseconds";
        }
        return java.time.Duration.of(micros, java.time.temporal.ChronoUnit.MICROS).toString();
    }

    /** A JSON array as a PostgreSQL array literal: {@code ["a",null,["b"]]} → {@code {"a",NULL,{"b"}}}. */
    static String arrayLiteral(String json) throws RenderException {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new RenderException("the JSON value does not parse, so it cannot be written as an array");
        }
        if (node == null || !node.isArray()) {
            throw new RenderException("the column is an array, but the JSON value is not a JSON array");
        }
        StringBuilder out = new StringBuilder();
        appendArray(node, out);
        return out.toString();
    }

    private static void appendArray(JsonNode array, StringBuilder out) {
        out.append('{');
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            JsonNode element = it.next();
            if (element.isNull()) {
                out.append("NULL");
            } else if (element.isArray()) {
                appendArray(element, out);
            } else {
                String text = element.isTextual() ? element.textValue() : element.toString();
                out.append('"').append(text.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            if (it.hasNext()) {
                out.append(',');
            }
        }
        out.append('}');
    }
}
