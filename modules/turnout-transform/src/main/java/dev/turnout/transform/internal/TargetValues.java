package dev.turnout.transform.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.common.primitives.UnsignedLong;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;

import dev.cel.common.values.CelByteString;

/**
 * What a target row holds: the plain Java form of a CEL result. null; {@code Long}, {@code Double},
 * {@code BigDecimal}, {@code String}, {@code Boolean}; {@code byte[]}; {@code Instant} for every date and time;
 * {@code java.time.Duration} for times of day and intervals; {@code List} and {@code Map} of these. The applier converts
 * them to the target column's type. Stateless.
 */
public final class TargetValues {

    private TargetValues() {
    }

    public static Object toJava(Object value) {
        if (CelValues.isNull(value)) {
            return null;
        }
        if (value instanceof Decimal d) {
            return d.value();
        }
        if (value instanceof CelByteString b) {
            return b.toByteArray();
        }
        if (value instanceof ByteString b) {
            return b.toByteArray();
        }
        if (value instanceof Timestamp t) {
            return CelValues.instant(t);
        }
        if (value instanceof com.google.protobuf.Duration d) {
            return CelValues.javaDuration(d);
        }
        if (value instanceof UnsignedLong u) {
            return new BigInteger(u.toString());
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(e -> out.add(toJava(e)));
            return Collections.unmodifiableList(out);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(toJava(k), toJava(v)));
            return Collections.unmodifiableMap(out);
        }
        return value;
    }
}
