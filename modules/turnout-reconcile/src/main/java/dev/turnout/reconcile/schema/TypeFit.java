package dev.turnout.reconcile.schema;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Whether a target column can hold what the mapping writes to it: a copied source column's values, or a computed
 * column's CEL type. The rules are PostgreSQL's assignment casts, made stricter where a cast exists but a value may not
 * fit (a shorter {@code varchar}, a narrower integer, fewer integer digits of a {@code numeric}). Stateless.
 */
final class TypeFit {

    /** How a target type holds the values. */
    enum Fit {
        /** The same declared type. */
        SAME,
        /** Every value fits unchanged (a wider type, or text). */
        WIDER,
        /** Every value fits, some changed: fewer fractional digits, a time zone or time of day dropped. */
        LOSSY,
        /** Some or all values cannot be written. */
        INCOMPATIBLE
    }

    /** A verdict and why, for the report. */
    record Verdict(Fit fit, String why) {
    }

    private static final Map<String, Integer> INT_RANK = Map.of("int2", 1, "int4", 2, "int8", 3);
    private static final Map<String, Integer> INT_DIGITS = Map.of("int2", 5, "int4", 10, "int8", 19);
    private static final Set<String> TEXT = Set.of("text", "varchar", "bpchar", "citext", "name");
    private static final Set<String> TIMES = Set.of("timestamp", "timestamptz");
    private static final Set<String> JSON = Set.of("json", "jsonb");

    private TypeFit() {
    }

    /** How {@code target} holds the values of the copied {@code source} column. */
    static Verdict copied(ColumnShape source, ColumnShape target) {
        if (source.sqlType().equals(target.sqlType())) {
            return new Verdict(Fit.SAME, "");
        }
        return udts(source.udt(), source, target.udt(), target);
    }

    private static Verdict udts(String s, ColumnShape source, String t, ColumnShape target) {
        if (s.startsWith("_") && t.startsWith("_")) {
            Verdict element = udts(s.substring(1), null, t.substring(1), null);
            return new Verdict(element.fit(), element.why().isEmpty() ? "" : "array elements: " + element.why());
        }
        if (TEXT.contains(t) && !s.startsWith("_")) {
            return text(s, source, t, target);
        }
        if (INT_RANK.containsKey(s) && INT_RANK.containsKey(t)) {
            return INT_RANK.get(t) >= INT_RANK.get(s) ? wider()
                : incompatible(s + " values may not fit in " + t);
        }
        if (INT_RANK.containsKey(s) && t.equals("numeric")) {
            OptionalInt digits = integerDigits(target);
            return digits.isEmpty() || digits.getAsInt() >= INT_DIGITS.get(s) ? wider()
                : incompatible(s + " values may have more than " + digits.getAsInt() + " integer digits");
        }
        if (INT_RANK.containsKey(s) && (t.equals("float8") || t.equals("float4"))) {
            return s.equals("int8") || t.equals("float4") ? lossy("large " + s + " values lose precision in " + t)
                : wider();
        }
        if (s.equals("numeric") && t.equals("numeric")) {
            return numeric(source, target);
        }
        if (s.equals("numeric") && (t.equals("float8") || t.equals("float4"))) {
            return lossy("decimals lose exactness in " + t);
        }
        if (s.equals("float4") && t.equals("float8")) {
            return wider();
        }
        if (s.equals("float8") && t.equals("float4")) {
            return lossy("float8 values lose precision in float4");
        }
        if ((s.equals("float4") || s.equals("float8")) && t.equals("numeric")) {
            return integerDigits(target).isEmpty() ? wider() : lossy("floats are rounded to the numeric's scale");
        }
        if (TIMES.contains(s) && TIMES.contains(t)) {
            int sp = digits(source);
            int tp = digits(target);
            if (s.equals("timestamptz") && t.equals("timestamp")) {
                return lossy("the time zone is dropped (times are written in UTC)");
            }
            return tp >= sp ? wider() : lossy("fractional seconds beyond " + tp + " digits are rounded");
        }
        if (s.equals("date") && TIMES.contains(t)) {
            return wider();
        }
        if (TIMES.contains(s) && t.equals("date")) {
            return lossy("the time of day is dropped");
        }
        if (s.equals("time") && t.equals("time")) {
            return digits(target) >= digits(source) ? wider() : lossy("fractional seconds are rounded");
        }
        if (JSON.contains(s) && JSON.contains(t)) {
            return wider();
        }
        if (s.equals(t)) {
            return wider();
        }
        return incompatible("PostgreSQL does not write " + s + " values into a " + t + " column");
    }

    private static Verdict text(String s, ColumnShape source, String t, ColumnShape target) {
        OptionalInt limit = target == null ? OptionalInt.empty() : target.length();
        if (limit.isEmpty()) {
            return wider();
        }
        OptionalInt have = source == null || !TEXT.contains(s) ? OptionalInt.empty() : source.length();
        if (have.isPresent() && have.getAsInt() <= limit.getAsInt()) {
            return wider();
        }
        return incompatible("values longer than " + limit.getAsInt() + " characters do not fit in " + t + "("
            + limit.getAsInt() + ")");
    }

    private static Verdict numeric(ColumnShape source, ColumnShape target) {
        OptionalInt targetDigits = integerDigits(target);
        if (targetDigits.isEmpty()) {
            return wider();
        }
        OptionalInt sourceDigits = integerDigits(source);
        if (sourceDigits.isEmpty() || sourceDigits.getAsInt() > targetDigits.getAsInt()) {
            return incompatible("values with more than " + targetDigits.getAsInt() + " integer digits do not fit in "
                + target.sqlType());
        }
        int sourceScale = source.scale().orElse(0);
        int targetScale = target.scale().orElse(0);
        return targetScale >= sourceScale ? wider() : lossy("decimals are rounded to " + targetScale + " places");
    }

    /** How {@code target} holds the values of a computed column of CEL type {@code celType}. */
    static Verdict computed(String celType, ColumnShape target) {
        String t = target.udt();
        if (t.equals("text") || t.equals("citext")) {
            return wider();
        }
        if (celType.startsWith("list(") || celType.startsWith("map(")) {
            return JSON.contains(t) || (celType.startsWith("list(") && t.startsWith("_")) ? wider()
                : incompatible("a " + celType + " is written as JSON or an array, not " + t);
        }
        return switch (celType) {
            case "string" -> TEXT.contains(t) ? text("text", null, t, target)
                : lossless("text must parse as " + t, List.of("uuid", "json", "jsonb", "inet", "cidr", "xml", "date",
                "timestamp", "timestamptz", "numeric", "int2", "int4", "int8", "bool"), t);
            case "int" -> INT_RANK.containsKey(t) ? (t.equals("int8") ? wider() : incompatible("int values (64-bit) "
                + "may not fit in " + t)) : t.equals("numeric") ? numericForInt(target)
                : t.equals("float8") || t.equals("float4") ? lossy("large ints lose precision in " + t)
                : incompatible("an int is not written into a " + t + " column");
            case "double" -> t.equals("float8") ? wider() : t.equals("float4") ? lossy("doubles lose precision in float4")
                : t.equals("numeric") ? lossy("doubles are rounded to the numeric's scale")
                : incompatible("a double is not written into a " + t + " column");
            case "decimal" -> t.equals("numeric") ? (integerDigits(target).isEmpty() ? wider()
                : incompatible("decimals may have more integer digits than " + target.sqlType() + " holds"))
                : t.equals("float8") || t.equals("float4") ? lossy("decimals lose exactness in " + t)
                : incompatible("a decimal is not written into a " + t + " column");
            case "bool" -> t.equals("bool") ? wider() : incompatible("a bool is not written into a " + t + " column");
            case "bytes" -> t.equals("bytea") ? wider() : incompatible("bytes are not written into a " + t + " column");
            case "timestamp" -> TIMES.contains(t) ? (digits(target) >= 6 ? wider()
                : lossy("fractional seconds beyond " + digits(target) + " digits are rounded"))
                : t.equals("date") ? lossy("the time of day is dropped")
                : incompatible("a timestamp is not written into a " + t + " column");
            case "duration" -> t.equals("interval") || t.equals("time") ? wider()
                : incompatible("a duration is not written into a " + t + " column");
            case "null_type" -> wider();
            default -> new Verdict(Fit.LOSSY, "the expression's type is " + celType + ", known only when it runs; "
                + "check that " + t + " holds it");
        };
    }

    private static Verdict numericForInt(ColumnShape target) {
        OptionalInt digits = integerDigits(target);
        return digits.isEmpty() || digits.getAsInt() >= 19 ? wider()
            : incompatible("int values may have more than " + digits.getAsInt() + " integer digits");
    }

    private static Verdict lossless(String why, List<String> parseable, String t) {
        return parseable.contains(t) ? lossy(why) : incompatible("text is not written into a " + t + " column");
    }

    private static OptionalInt integerDigits(ColumnShape c) {
        if (c == null || c.precision().isEmpty()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(c.precision().getAsInt() - c.scale().orElse(0));
    }

    private static int digits(ColumnShape c) {
        return c == null ? 6 : c.datetimePrecision().orElse(6);
    }

    private static Verdict wider() {
        return new Verdict(Fit.WIDER, "");
    }

    private static Verdict lossy(String why) {
        return new Verdict(Fit.LOSSY, why);
    }

    private static Verdict incompatible(String why) {
        return new Verdict(Fit.INCOMPATIBLE, why);
    }
}
