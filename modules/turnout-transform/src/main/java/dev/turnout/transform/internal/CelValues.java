package dev.turnout.transform.internal;

import java.time.Duration;
import java.time.Instant;

import com.google.protobuf.Timestamp;

import dev.cel.common.values.CelByteString;
import dev.cel.common.values.NullValue;

/**
 * The Java forms CEL's runtime uses for values, and conversions to and from {@code java.time}. The runtime is configured
 * with {@code evaluateCanonicalTypesToNativeValues}, so null is {@link NullValue} and bytes are {@link CelByteString};
 * timestamps and durations remain protobuf messages in this CEL version. Stateless.
 */
public final class CelValues {

    /** CEL's null. A Java {@code null} inside the activation would be read as "unknown", not as null. */
    public static final Object NULL = NullValue.NULL_VALUE;

    private CelValues() {
    }

    /** Whether {@code value} is null in either of the forms CEL uses. */
    public static boolean isNull(Object value) {
        return value == null || value instanceof NullValue || value instanceof com.google.protobuf.NullValue;
    }

    public static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    public static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    public static com.google.protobuf.Duration duration(Duration duration) {
        return com.google.protobuf.Duration.newBuilder()
            .setSeconds(duration.getSeconds()).setNanos(duration.getNano()).build();
    }

    public static Duration javaDuration(com.google.protobuf.Duration duration) {
        return Duration.ofSeconds(duration.getSeconds(), duration.getNanos());
    }

    /** Text of a value as {@code concat} renders it: strings as they are, decimals without exponent, times in ISO-8601. */
    public static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Decimal d) {
            return d.value().toPlainString();
        }
        if (value instanceof Timestamp t) {
            return instant(t).toString();
        }
        if (value instanceof com.google.protobuf.Duration d) {
            return javaDuration(d).toString();
        }
        if (value instanceof CelByteString b) {
            return b.toStringUtf8();
        }
        return String.valueOf(value);
    }
}
