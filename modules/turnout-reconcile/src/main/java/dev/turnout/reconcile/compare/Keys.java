package dev.turnout.reconcile.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.kafka.common.utils.Bytes;

import dev.turnout.core.config.TableId;
import dev.turnout.schemas.apply.ApplyColumn;
import dev.turnout.schemas.apply.ApplyKey;
import dev.turnout.schemas.apply.DecimalValue;

/**
 * Target keys in one canonical form, so that a key computed by a mapping and the same key read from the target compare
 * equal whatever the two columns' types: an integral number (of any width, or a decimal without fraction) is a
 * {@code long}, another decimal has no trailing zeros, everything else stays as the apply contract carries it.
 * Stateless.
 */
public final class Keys {

    private Keys() {
    }

    /** The canonical form of key columns, in their order. */
    public static List<ApplyColumn> canonical(List<ApplyColumn> key) {
        List<ApplyColumn> out = new ArrayList<>(key.size());
        for (ApplyColumn c : key) {
            out.add(new ApplyColumn(c.getName(), canonicalValue(c.getValue())));
        }
        return out;
    }

    private static Object canonicalValue(Object value) {
        if (value instanceof DecimalValue d) {
            BigDecimal exact = Values.decimalOf(d);
            BigDecimal stripped = exact.signum() == 0 ? BigDecimal.ZERO : exact.stripTrailingZeros();
            if (stripped.scale() <= 0) {
                try {
                    return stripped.longValueExact();
                } catch (ArithmeticException tooLarge) {
                    // Stays a decimal.
                }
            }
            return new DecimalValue(ByteBuffer.wrap(stripped.unscaledValue().toByteArray()), stripped.scale());
        }
        if (value instanceof Double d && !d.isInfinite() && !d.isNaN() && d == Math.rint(d)
            && Math.abs(d) < 0x1p53) {
            return d.longValue();
        }
        return value;
    }

    /** The key of one table's row as bytes: the table, a zero byte, and the canonical key's Avro encoding. */
    public static Bytes bytes(TableId table, List<ApplyColumn> canonicalKey) {
        ByteBuffer body;
        try {
            body = new ApplyKey(canonicalKey).toByteBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] name = table.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(name.length + 1 + body.remaining());
        out.put(name).put((byte) 0).put(body);
        return Bytes.wrap(out.array());
    }

    /** The key as text for display and search: {@code col=value} pairs in key order. */
    public static String text(List<ApplyColumn> key) {
        return key.stream().map(c -> c.getName() + "=" + Values.display(c.getValue()))
            .collect(Collectors.joining(", "));
    }
}
