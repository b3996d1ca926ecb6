package dev.turnout.reconcile.compare;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.turnout.schemas.apply.DecimalValue;
import dev.turnout.schemas.apply.IntervalValue;
import dev.turnout.schemas.apply.JsonValue;
import dev.turnout.schemas.apply.TimestampValue;
import dev.turnout.schemas.apply.Unavailable;
import dev.turnout.transform.SourceColumn;

/**
 * Equality of two column values in the apply contract's form ({@code ApplyColumn.value}), expected against actual, as
 * the target column holds them, ignoring what is not a difference: the scale of a decimal ({@code 1.50} = {@code 1.5}),
 * integral numbers of another width or kind ({@code 42} = {@code 42.0} = decimal {@code 42}), fractional seconds beyond
 * the target column's precision (the expected value is rounded as PostgreSQL rounds on write), the time of day of a
 * value written to a {@code date} column, the whitespace and key order of {@code json}/{@code jsonb}, the padding of
 * {@code char(n)}. Values of different kinds that have no common form are compared by their text. Stateless.
 */
public final class Values {

    /** Longest text of a value shown in a difference. */
    public static final int MAX_TEXT = 200;

    private static final JsonMapper JSON = JsonMapper.builder()
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .build();
    private static final Set<String> TIMESTAMP_TYPES = Set.of("timestamp", "timestamptz");
    private static final Set<String> TIME_TYPES = Set.of("time");
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private Values() {
    }

    /**
     * Whether {@code expected} and {@code actual} are the same value in {@code column}. {@link Unavailable} on either
     * side (a TOASTed value the change did not carry) is never a difference: it cannot be compared.
     *
     * @param column the target column, if the catalog has it; decides precision, dates, JSON and padding
     */
    public static boolean same(Object expected, Object actual, Optional<SourceColumn> column) {
        if (expected instanceof Unavailable || actual instanceof Unavailable) {
            return true;
        }
        if (expected == null || actual == null) {
            return expected == null && actual == null;
        }
        String type = column.map(SourceColumn::type).orElse("");
        int precision = column.flatMap(c -> c.datetimePrecision().isPresent()
            ? Optional.of(c.datetimePrecision().getAsInt()) : Optional.empty()).orElse(6);
        Object e = normal(expected, type, precision);
        Object a = normal(actual, type, precision);
        if (e.getClass().equals(a.getClass())) {
            return e instanceof JsonNode je ? je.equals(Values::compareJson, (JsonNode) a) : e.equals(a);
        }
        return text(expected).equals(text(actual));
    }

    /** A comparable form: numbers as stripped BigDecimal, times as rounded microseconds, JSON as a tree. */
    private static Object normal(Object value, String type, int precision) {
        if (value instanceof Long || value instanceof Integer) {
            return decimal(BigDecimal.valueOf(((Number) value).longValue()));
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? d.toString() : decimal(BigDecimal.valueOf(d));
        }
        if (value instanceof DecimalValue d) {
            return decimal(decimalOf(d));
        }
        if (value instanceof TimestampValue t) {
            long micros = t.getEpochMicros();
            if (type.equals("date")) {
                return new Micros(Math.floorDiv(micros, MICROS_PER_DAY) * MICROS_PER_DAY);
            }
            return new Micros(TIMESTAMP_TYPES.contains(type) ? round(micros, precision) : micros);
        }
        if (value instanceof IntervalValue i) {
            return new Micros(TIME_TYPES.contains(type) ? round(i.getMicros(), precision) : i.getMicros());
        }
        if (value instanceof JsonValue j) {
            return json(j.getJson());
        }
        if (value instanceof String s) {
            if (type.equals("json") || type.equals("jsonb")) {
                return json(s);
            }
            return type.equals("bpchar") ? s.stripTrailing() : s;
        }
        if (value instanceof ByteBuffer b) {
            return b.duplicate();
        }
        return value;
    }

    /**
     * A time in microseconds rounded to {@code digits} fractional digits, half away from zero, as PostgreSQL rounds a
     * timestamp written to a column of lower precision.
     */
    static long round(long micros, int digits) {
        if (digits >= 6 || digits < 0) {
            return micros;
        }
        long scale = (long) Math.pow(10, 6 - digits);
        long half = scale / 2;
        return micros >= 0 ? (micros + half) / scale * scale : -((-micros + half) / scale * scale);
    }

    private static BigDecimal decimal(BigDecimal d) {
        return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
    }

    /** The exact decimal an apply-contract {@code DecimalValue} holds. */
    public static BigDecimal decimalOf(DecimalValue d) {
        ByteBuffer b = d.getUnscaled().duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new BigDecimal(new BigInteger(bytes), d.getScale());
    }

    private static Object json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    private static int compareJson(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    }

    /**
     * A value as text for a difference or a key: null stays null; decimals in plain notation, times in ISO-8601, bytes as
     * PostgreSQL's {@code \x} hex, JSON as written; cut to {@link #MAX_TEXT} characters with the full length noted.
     */
    public static String display(Object value) {
        if (value == null) {
            return null;
        }
        String text = text(value);
        if (text.length() <= MAX_TEXT) {
            return text;
        }
        return text.substring(0, MAX_TEXT) + "… (" + text.length() + " characters)";
    }

    /** A value as its full text. */
    public static String text(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof DecimalValue d) {
            return decimalOf(d).toPlainString();
        }
        if (value instanceof TimestampValue t) {
            long micros = t.getEpochMicros();
            return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L)
                .toString();
        }
        if (value instanceof IntervalValue i) {
            return Duration.ofNanos(Math.multiplyExact(i.getMicros(), 1_000L)).toString();
        }
        if (value instanceof JsonValue j) {
            return j.getJson();
        }
        if (value instanceof ByteBuffer b) {
            ByteBuffer d = b.duplicate();
            byte[] bytes = new byte[d.remaining()];
            d.get(bytes);
            return "\\x" + HexFormat.of().formatHex(bytes);
        }
        if (value instanceof Unavailable) {
            return "<unavailable: unchanged TOASTed value>";
        }
        return value.toString();
    }

    /** Microseconds of a timestamp, time or interval, apart from numbers so that a time never equals a count. */
    private record Micros(long value) {
    }
}
