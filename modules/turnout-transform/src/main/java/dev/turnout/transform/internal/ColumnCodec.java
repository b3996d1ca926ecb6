package dev.turnout.transform.internal;

import static dev.turnout.transform.internal.CelValues.NULL;
import static dev.turnout.transform.internal.CelValues.isNull;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.NullableType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.CelByteString;

/**
 * How one PostgreSQL column type looks to expressions: its CEL type, and how a value as Debezium delivers it (connector
 * settings {@code decimal.handling.mode=precise}, {@code time.precision.mode=adaptive_time_microseconds}) becomes a CEL
 * value. {@code java.time} values are accepted too, for rows read other than through Debezium. Immutable.
 *
 * <p>Dates and times are CEL timestamps (a date is midnight UTC; a timestamp without time zone is read as UTC, as
 * Debezium encodes it); {@code time} and {@code interval} are durations; {@code numeric} is Turnout's exact
 * {@code decimal}; json, uuid, enums and other text-like types are strings.
 */
public final class ColumnCodec {

    private enum Kind {
        INT(SimpleType.INT), DOUBLE(SimpleType.DOUBLE), DECIMAL(DecimalFunctions.DECIMAL), BOOL(SimpleType.BOOL),
        STRING(SimpleType.STRING), BYTES(SimpleType.BYTES), DATE(SimpleType.TIMESTAMP),
        TIMESTAMP_MILLIS(SimpleType.TIMESTAMP), TIMESTAMP_MICROS(SimpleType.TIMESTAMP), TIMESTAMPTZ(SimpleType.TIMESTAMP),
        TIME(SimpleType.DURATION), INTERVAL(SimpleType.DURATION), ARRAY(null), DYN(SimpleType.DYN);

        final CelType type;

        Kind(CelType type) {
            this.type = type;
        }

        /** CEL can only say "this or null" of its primitive types (as protobuf wrappers); others take null anyway. */
        boolean wrappable() {
            return this == INT || this == DOUBLE || this == BOOL || this == STRING || this == BYTES;
        }
    }

    private static final Set<String> STRING_TYPES = Set.of("text", "varchar", "bpchar", "char", "name", "citext", "uuid",
        "json", "jsonb", "xml", "inet", "cidr", "macaddr", "macaddr8", "timetz", "tsvector", "ltree", "hstore");

    private final String pgType;
    private final Kind kind;
    private final ColumnCodec element;
    private final CelType type;

    private ColumnCodec(String pgType, Kind kind, ColumnCodec element, boolean nullable) {
        this.pgType = pgType;
        this.kind = kind;
        this.element = element;
        CelType base = kind == Kind.ARRAY ? ListType.create(element.type) : kind.type;
        this.type = nullable && kind.wrappable() ? NullableType.create(base) : base;
    }

    /**
     * The codec of a column of PostgreSQL type {@code udtName} ({@code information_schema.columns.udt_name}).
     *
     * @param datetimePrecision fractional-second digits; Debezium sends a timestamp of 0–3 digits in milliseconds
     */
    public static ColumnCodec of(String udtName, OptionalInt datetimePrecision, boolean nullable) {
        if (udtName.startsWith("_")) {
            // Array elements may be null whatever the column says.
            return new ColumnCodec(udtName, Kind.ARRAY, of(udtName.substring(1), datetimePrecision, true), nullable);
        }
        return new ColumnCodec(udtName, kindOf(udtName, datetimePrecision), null, nullable);
    }

    private static Kind kindOf(String udt, OptionalInt precision) {
        if (STRING_TYPES.contains(udt)) {
            return Kind.STRING;
        }
        switch (udt) {
            case "int2": case "int4": case "int8": case "oid":
                return Kind.INT;
            case "float4": case "float8":
                return Kind.DOUBLE;
            case "numeric": case "money":
                return Kind.DECIMAL;
            case "bool":
                return Kind.BOOL;
            case "bytea":
                return Kind.BYTES;
            case "date":
                return Kind.DATE;
            case "timestamp":
                return precision.isPresent() && precision.getAsInt() <= 3 ? Kind.TIMESTAMP_MILLIS : Kind.TIMESTAMP_MICROS;
            case "timestamptz":
                return Kind.TIMESTAMPTZ;
            case "time":
                return Kind.TIME;
            case "interval":
                return Kind.INTERVAL;
            default:
                return Kind.DYN;
        }
    }

    /** The type the checker gives {@code row.<column>}. */
    public CelType celType() {
        return type;
    }

    /** The CEL value of a raw value; Java null becomes CEL's null. Throws {@link IllegalArgumentException} naming the type. */
    public Object decode(Object raw) {
        if (isNull(raw)) {
            return NULL;
        }
        switch (kind) {
            case INT:
                if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
                    return ((Number) raw).longValue();
                }
                break;
            case DOUBLE:
                if (raw instanceof Float f) {
                    // Through its text, so that a real 1.1 stays 1.1 rather than 1.100000023841858.
                    return Double.parseDouble(f.toString());
                }
                if (raw instanceof Number n) {
                    return n.doubleValue();
                }
                break;
            case DECIMAL:
                return Decimal.of(decimal(raw));
            case BOOL:
                if (raw instanceof Boolean) {
                    return raw;
                }
                break;
            case STRING:
                if (raw instanceof CharSequence || raw instanceof java.util.UUID) {
                    return raw.toString();
                }
                break;
            case BYTES:
                if (raw instanceof byte[] b) {
                    return CelByteString.of(b);
                }
                if (raw instanceof ByteBuffer buffer) {
                    ByteBuffer copy = buffer.duplicate();
                    byte[] b = new byte[copy.remaining()];
                    copy.get(b);
                    return CelByteString.of(b);
                }
                break;
            case DATE:
                if (raw instanceof Integer || raw instanceof Long) {
                    // io.debezium.time.Date: days since the epoch.
                    return CelValues.timestamp(LocalDate.ofEpochDay(((Number) raw).longValue())
                        .atStartOfDay(ZoneOffset.UTC).toInstant());
                }
                return timestamp(raw);
            case TIMESTAMP_MILLIS:
                if (raw instanceof Long || raw instanceof Integer) {
                    // io.debezium.time.Timestamp: milliseconds since the epoch, the local time read as UTC.
                    return CelValues.timestamp(Instant.ofEpochMilli(((Number) raw).longValue()));
                }
                return timestamp(raw);
            case TIMESTAMP_MICROS:
                if (raw instanceof Long || raw instanceof Integer) {
                    // io.debezium.time.MicroTimestamp: microseconds since the epoch, the local time read as UTC.
                    return CelValues.timestamp(TimeFunctions.ofEpochMicros(((Number) raw).longValue()));
                }
                return timestamp(raw);
            case TIMESTAMPTZ:
                if (raw instanceof String s) {
                    // io.debezium.time.ZonedTimestamp: ISO-8601 with offset, e.g. 2024-05-01T10:15:30.123456Z.
                    try {
                        return CelValues.timestamp(IsoOffsetTimestamps.parse(s));
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException("the text is not an ISO-8601 timestamp with offset");
                    }
                }
                return timestamp(raw);
            case TIME:
                if (raw instanceof Long micros) {
                    // io.debezium.time.MicroTime: microseconds since midnight.
                    return CelValues.duration(Duration.ofNanos(Math.multiplyExact(micros, 1_000L)));
                }
                if (raw instanceof Integer millis) {
                    // io.debezium.time.Time: milliseconds since midnight.
                    return CelValues.duration(Duration.ofMillis(millis));
                }
                if (raw instanceof LocalTime t) {
                    return CelValues.duration(Duration.ofNanos(t.toNanoOfDay()));
                }
                break;
            case INTERVAL:
                if (raw instanceof Long micros) {
                    // io.debezium.time.MicroDuration: approximate microseconds (a month counts 30 days).
                    return CelValues.duration(Duration.ofNanos(Math.multiplyExact(micros, 1_000L)));
                }
                if (raw instanceof Duration d) {
                    return CelValues.duration(d);
                }
                break;
            case ARRAY:
                if (raw instanceof List<?> list) {
                    List<Object> out = new ArrayList<>(list.size());
                    list.forEach(e -> out.add(element.decode(e)));
                    return out;
                }
                break;
            default:
                return dyn(raw);
        }
        throw unexpected(raw);
    }

    private Object timestamp(Object raw) {
        if (raw instanceof Instant i) {
            return CelValues.timestamp(i);
        }
        if (raw instanceof OffsetDateTime t) {
            return CelValues.timestamp(t.toInstant());
        }
        if (raw instanceof ZonedDateTime t) {
            return CelValues.timestamp(t.toInstant());
        }
        if (raw instanceof LocalDateTime t) {
            return CelValues.timestamp(t.toInstant(ZoneOffset.UTC));
        }
        if (raw instanceof LocalDate d) {
            return CelValues.timestamp(d.atStartOfDay(ZoneOffset.UTC).toInstant());
        }
        if (raw instanceof java.util.Date d) {
            // Kafka Connect's Date and Timestamp logical types.
            return CelValues.timestamp(d.toInstant());
        }
        throw unexpected(raw);
    }

    private BigDecimal decimal(Object raw) {
        if (raw instanceof BigDecimal d) {
            return d;
        }
        if (raw instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (raw instanceof Long || raw instanceof Integer || raw instanceof Short) {
            return BigDecimal.valueOf(((Number) raw).longValue());
        }
        if (raw instanceof Double d && !d.isNaN() && !d.isInfinite()) {
            return BigDecimal.valueOf(d);
        }
        if (raw instanceof String s) {
            try {
                return new BigDecimal(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the text is not a decimal number");
            }
        }
        if (raw instanceof Map<?, ?> m && m.get("scale") instanceof Integer scale && m.get("value") != null) {
            // io.debezium.data.VariableScaleDecimal (numeric without scale): unscaled two's-complement bytes and a scale.
            Object value = m.get("value");
            byte[] bytes = value instanceof ByteBuffer b ? copy(b) : (byte[]) value;
            return new BigDecimal(new BigInteger(bytes), scale);
        }
        throw unexpected(raw);
    }

    private static byte[] copy(ByteBuffer buffer) {
        ByteBuffer d = buffer.duplicate();
        byte[] b = new byte[d.remaining()];
        d.get(b);
        return b;
    }

    /** A value of a type Turnout has no specific rule for: numbers widened as CEL wants them, the rest as it is. */
    private static Object dyn(Object raw) {
        if (isNull(raw)) {
            return NULL;
        }
        if (raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof Float f) {
            return Double.parseDouble(f.toString());
        }
        if (raw instanceof BigDecimal d) {
            return Decimal.of(d);
        }
        if (raw instanceof byte[] b) {
            return CelByteString.of(b);
        }
        if (raw instanceof ByteBuffer b) {
            return CelByteString.of(copy(b));
        }
        if (raw instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(e -> out.add(dyn(e)));
            return out;
        }
        if (raw instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, dyn(v)));
            return out;
        }
        return raw;
    }

    private IllegalArgumentException unexpected(Object raw) {
        return new IllegalArgumentException("a " + pgType + " column cannot hold a " + raw.getClass().getName());
    }
}
