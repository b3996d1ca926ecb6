package dev.turnout.transform.stream;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.turnout.schemas.apply.ApplyColumn;
import dev.turnout.schemas.apply.ApplyKey;
import dev.turnout.schemas.apply.DecimalValue;
import dev.turnout.schemas.apply.IntervalValue;
import dev.turnout.schemas.apply.JsonValue;
import dev.turnout.schemas.apply.TimestampValue;
import dev.turnout.schemas.apply.Unavailable;
import dev.turnout.transform.TargetRow;
import dev.turnout.transform.UnavailableValue;

/**
 * Target-row values in the apply topics' Avro form ({@code ApplyColumn.value}): null, boolean, long, double, string and
 * bytes as themselves; {@code BigDecimal} as {@link DecimalValue}; {@code Instant} as {@link TimestampValue}
 * (microseconds, sub-microsecond digits dropped); {@code Duration} as {@link IntervalValue}; lists and maps as
 * {@link JsonValue} (instants and durations in them as ISO-8601 text, bytes as base64); {@link UnavailableValue} as
 * {@link Unavailable}. Stateless and thread-safe. Public so that reconciliation puts the target's rows in the same form
 * as the expected rows it compares them with.
 */
public final class ApplyValues {

    private static final JsonMapper JSON = JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
        .build();

    private ApplyValues() {
    }

    /** The target key, in key order. */
    public static ApplyKey key(Map<String, Object> key) {
        return new ApplyKey(columns(key));
    }

    /** The row image, in the mapping's column order. */
    public static List<ApplyColumn> columns(TargetRow row) {
        return columns(row.values());
    }

    /** Columns and values, in the map's order. */
    public static List<ApplyColumn> columns(Map<String, Object> values) {
        List<ApplyColumn> out = new ArrayList<>(values.size());
        values.forEach((name, value) -> {
            try {
                out.add(new ApplyColumn(name, toAvro(value)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("column " + name + ": " + e.getMessage(), e);
            }
        });
        return out;
    }

    /**
     * One value as a member of {@code ApplyColumn.value}'s union.
     *
     * @throws IllegalArgumentException for a value no member can hold (a type the mappings never produce), or an
     *                                  instant or interval beyond the range of 64-bit microseconds
     */
    public static Object toAvro(Object value) {
        if (value == null || value instanceof Boolean || value instanceof Long || value instanceof Double
            || value instanceof String) {
            return value;
        }
        if (value == UnavailableValue.INSTANCE) {
            return new Unavailable();
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            // Through its text, so that a real 1.1 stays 1.1 rather than 1.100000023841858.
            return Double.parseDouble(f.toString());
        }
        if (value instanceof BigDecimal d) {
            return decimal(d);
        }
        if (value instanceof BigInteger i) {
            return decimal(new BigDecimal(i));
        }
        if (value instanceof CharSequence || value instanceof UUID) {
            return value.toString();
        }
        if (value instanceof byte[] b) {
            return ByteBuffer.wrap(b.clone());
        }
        if (value instanceof ByteBuffer b) {
            ByteBuffer copy = ByteBuffer.allocate(b.remaining());
            copy.put(b.duplicate()).flip();
            return copy;
        }
        if (value instanceof Instant i) {
            return new TimestampValue(micros(i.getEpochSecond(), i.getNano(), "timestamp " + i));
        }
        if (value instanceof Date d) {
            return toAvro(d.toInstant());
        }
        if (value instanceof Duration d) {
            return new IntervalValue(micros(d.getSeconds(), d.getNano(), "interval " + d));
        }
        if (value instanceof List<?> || value instanceof Map<?, ?>) {
            try {
                return new JsonValue(JSON.writeValueAsString(value));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("a " + value.getClass().getSimpleName() + " cannot be written as JSON: "
                    + e.getOriginalMessage(), e);
            }
        }
        throw new IllegalArgumentException("a value of type " + value.getClass().getName()
            + " has no form in the apply topic");
    }

    private static DecimalValue decimal(BigDecimal d) {
        return new DecimalValue(ByteBuffer.wrap(d.unscaledValue().toByteArray()), d.scale());
    }

    private static long micros(long seconds, int nanos, String what) {
        try {
            // Seconds are floored and nanos non-negative, so this floors to the microsecond before the epoch too.
            return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), nanos / 1_000);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + " is beyond the range of 64-bit microseconds", e);
        }
    }
}
