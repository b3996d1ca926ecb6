package dev.turnout.transform.internal;

import static dev.turnout.transform.internal.CelValues.NULL;
import static dev.turnout.transform.internal.CelValues.isNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionOverload;

/**
 * String functions. Like SQL's, they return null when the string they work on is null, so a nullable column can be
 * passed without a guard; separators and patterns must not be null. Separators are literal text, never regular
 * expressions.
 */
final class StringFunctions {

    /** CEL has no variadic functions, so {@code concat} is declared for 2 to this many arguments. */
    static final int MAX_CONCAT = 8;

    private static final CelType S = SimpleType.STRING;
    private static final CelType I = SimpleType.INT;

    private StringFunctions() {
    }

    static void register(FunctionSet fs) {
        unary(fs, "lower", s -> s.toLowerCase(Locale.ROOT));
        unary(fs, "upper", s -> s.toUpperCase(Locale.ROOT));
        unary(fs, "trim", String::strip);
        for (int n = 2; n <= MAX_CONCAT; n++) {
            fs.add("concat", "turnout_concat_" + n, S, Collections.nCopies(n, SimpleType.DYN),
                Collections.nCopies(n, Object.class), args -> {
                    // As PostgreSQL's concat(): null arguments are skipped, not propagated.
                    StringBuilder sb = new StringBuilder();
                    for (Object a : args) {
                        if (!isNull(a)) {
                            sb.append(CelValues.text(a));
                        }
                    }
                    return sb.toString();
                });
        }
        fs.add("split", "turnout_split_string_string", ListType.create(S), List.of(S, S),
            List.of(Object.class, String.class), nullSafe(args -> split((String) args[0], (String) args[1])));
        fs.add("part", "turnout_part_string_string_int", S, List.of(S, S, I),
            List.of(Object.class, String.class, Long.class), nullSafe(args -> part((String) args[0], (String) args[1],
                (Long) args[2])));
        fs.add("before", "turnout_before_string_string", S, List.of(S, S), List.of(Object.class, String.class),
            nullSafe(args -> {
                String s = (String) args[0];
                int at = s.indexOf(separator((String) args[1]));
                return at < 0 ? s : s.substring(0, at);
            }));
        fs.add("after", "turnout_after_string_string", S, List.of(S, S), List.of(Object.class, String.class),
            nullSafe(args -> {
                String s = (String) args[0];
                String sep = separator((String) args[1]);
                int at = s.indexOf(sep);
                return at < 0 ? NULL : s.substring(at + sep.length());
            }));
        fs.add("substring", "turnout_substring_string_int", S, List.of(S, I), List.of(Object.class, Long.class),
            nullSafe(args -> substring((String) args[0], (Long) args[1], Long.MAX_VALUE)));
        fs.add("substring", "turnout_substring_string_int_int", S, List.of(S, I, I),
            List.of(Object.class, Long.class, Long.class),
            nullSafe(args -> substring((String) args[0], (Long) args[1], (Long) args[2])));
        fs.add("replace", "turnout_replace_string_string_string", S, List.of(S, S, S),
            List.of(Object.class, String.class, String.class),
            nullSafe(args -> ((String) args[0]).replace(separator((String) args[1]), (String) args[2])));
    }

    private static void unary(FunctionSet fs, String name, UnaryOperator<String> f) {
        fs.add(name, "turnout_" + name + "_string", S, List.of(S), List.of(Object.class),
            nullSafe(args -> f.apply((String) args[0])));
    }

    /** Null in the first argument gives null without calling {@code f}. */
    static CelFunctionOverload nullSafe(CelFunctionOverload f) {
        return args -> isNull(args[0]) ? NULL : f.apply(args);
    }

    private static String separator(String sep) {
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("the separator is empty");
        }
        return sep;
    }

    /** Every part, empty ones included ({@code "a,,b"} has three), unlike {@link String#split}. */
    private static List<String> split(String s, String sep) {
        separator(sep);
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int at = s.indexOf(sep); at >= 0; at = s.indexOf(sep, from)) {
            parts.add(s.substring(from, at));
            from = at + sep.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    private static Object part(String s, String sep, long n) {
        List<String> parts = split(s, sep);
        long index = n < 0 ? parts.size() + n : n;
        return index < 0 || index >= parts.size() ? NULL : parts.get((int) index);
    }

    /** Code points, not UTF-16 units, so a character outside the BMP is never cut in half. */
    private static String substring(String s, long start, long length) {
        if (start < 0 || length < 0) {
            throw new IllegalArgumentException("start and length must not be negative");
        }
        int count = s.codePointCount(0, s.length());
        int from = (int) Math.min(start, count);
        int to = (int) Math.min(count, from + Math.min(length, (long) count));
        return s.substring(s.offsetByCodePoints(0, from), s.offsetByCodePoints(0, to));
    }
}
