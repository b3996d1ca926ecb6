package dev.turnout.reconcile.verify;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import dev.turnout.reconcile.compare.Values;
import dev.turnout.schemas.apply.ApplyColumn;
import dev.turnout.schemas.apply.DecimalValue;
import dev.turnout.schemas.apply.IntervalValue;
import dev.turnout.schemas.apply.TimestampValue;

/**
 * The order of canonical keys in the JVM that agrees with PostgreSQL's {@code ORDER BY} of the key columns, so that the
 * ordered merge can walk both sides in step: numbers by value, text by code point (as {@code COLLATE "C"} on UTF-8
 * sorts it; the merge's queries sort text keys so), uuids by their lower-case hex text (PostgreSQL compares their
 * bytes), booleans false first, bytes as unsigned, dates and times by instant. Only keys of the types in
 * {@link #ORDERED_TYPES} are merged in SQL order; others are sorted in the JVM on both sides. Stateless.
 */
final class KeyOrder implements Comparator<List<ApplyColumn>> {

    /** Column types ({@code udt_name}) whose SQL order this comparator reproduces. */
    static final Set<String> ORDERED_TYPES = Set.of("int2", "int4", "int8", "numeric", "float4", "float8", "text",
        "varchar", "bpchar", "name", "citext", "uuid", "bool", "bytea", "date", "timestamp", "timestamptz");

    /** Text types, sorted with {@code COLLATE "C"} by the merge's queries. */
    static final Set<String> COLLATABLE = Set.of("text", "varchar", "bpchar", "name", "citext");

    static final KeyOrder INSTANCE = new KeyOrder();

    @Override
    public int compare(List<ApplyColumn> a, List<ApplyColumn> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = value(a.get(i).getValue(), b.get(i).getValue());
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int value(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        if (number(a) && number(b)) {
            return decimal(a).compareTo(decimal(b));
        }
        if (a instanceof String x && b instanceof String y) {
            return codePoints(x, y);
        }
        if (a instanceof TimestampValue x && b instanceof TimestampValue y) {
            return Long.compare(x.getEpochMicros(), y.getEpochMicros());
        }
        if (a instanceof IntervalValue x && b instanceof IntervalValue y) {
            return Long.compare(x.getMicros(), y.getMicros());
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        if (a instanceof ByteBuffer x && b instanceof ByteBuffer y) {
            return unsigned(x, y);
        }
        return codePoints(Values.text(a), Values.text(b));
    }

    private static boolean number(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof DecimalValue;
    }

    private static BigDecimal decimal(Object v) {
        if (v instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        if (v instanceof Double d) {
            return BigDecimal.valueOf(d);
        }
        return Values.decimalOf((DecimalValue) v);
    }

    private static int codePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** Unsigned lexicographic order of two byte sequences, shorter first when one is a prefix of the other. */
    static int unsigned(ByteBuffer a, ByteBuffer b) {
        ByteBuffer x = a.duplicate();
        ByteBuffer y = b.duplicate();
        while (x.hasRemaining() && y.hasRemaining()) {
            int c = Integer.compare(x.get() & 0xff, y.get() & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.remaining(), y.remaining());
    }
}
