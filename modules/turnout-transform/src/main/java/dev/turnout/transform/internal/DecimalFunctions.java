package dev.turnout.transform.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;

import dev.cel.common.types.CelType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;

/**
 * The {@code decimal} type for PostgreSQL {@code numeric} and {@code money}, exact as Debezium delivers them
 * ({@code decimal.handling.mode=precise}), and the casts Turnout adds to CEL's own: {@code decimal()}, {@code long()}
 * (an alias of CEL's 64-bit {@code int()}), {@code string/int/double} of a decimal, {@code bool(int)} and
 * {@code int(bool)}. Casts fail on null, as CEL's do.
 */
final class DecimalFunctions {

    /** CEL has no decimal type; an opaque type keeps numerics exact and out of double arithmetic unless asked. */
    static final CelType DECIMAL = OpaqueType.create("decimal");

    private static final CelType S = SimpleType.STRING;
    private static final CelType I = SimpleType.INT;
    private static final CelType D = SimpleType.DOUBLE;
    private static final CelType B = SimpleType.BOOL;

    private DecimalFunctions() {
    }

    static void register(FunctionSet fs) {
        fs.add("decimal", "turnout_decimal_string", DECIMAL, List.of(S), List.of(String.class),
            args -> Decimal.of(parse((String) args[0])));
        fs.add("decimal", "turnout_decimal_int", DECIMAL, List.of(I), List.of(Long.class),
            args -> Decimal.of(BigDecimal.valueOf((Long) args[0])));
        fs.add("decimal", "turnout_decimal_double", DECIMAL, List.of(D), List.of(Double.class),
            args -> Decimal.of(fromDouble((Double) args[0])));
        fs.add("decimal", "turnout_decimal_decimal", DECIMAL, List.of(DECIMAL), List.of(Decimal.class),
            args -> args[0]);
        fs.add("string", "turnout_string_decimal", S, List.of(DECIMAL), List.of(Decimal.class),
            args -> ((Decimal) args[0]).value().toPlainString());
        fs.add("double", "turnout_double_decimal", D, List.of(DECIMAL), List.of(Decimal.class),
            args -> ((Decimal) args[0]).value().doubleValue());
        fs.add("int", "turnout_int_decimal", I, List.of(DECIMAL), List.of(Decimal.class),
            args -> toLong(((Decimal) args[0]).value()));
        fs.add("int", "turnout_int_bool", I, List.of(B), List.of(Boolean.class), args -> (Boolean) args[0] ? 1L : 0L);
        fs.add("bool", "turnout_bool_int", B, List.of(I), List.of(Long.class), args -> (Long) args[0] != 0L);

        fs.add("long", "turnout_long_int", I, List.of(I), List.of(Long.class), args -> args[0]);
        fs.add("long", "turnout_long_string", I, List.of(S), List.of(String.class),
            args -> toLong(parse((String) args[0])));
        fs.add("long", "turnout_long_double", I, List.of(D), List.of(Double.class),
            args -> toLong(fromDouble((Double) args[0])));
        fs.add("long", "turnout_long_decimal", I, List.of(DECIMAL), List.of(Decimal.class),
            args -> toLong(((Decimal) args[0]).value()));
        fs.add("long", "turnout_long_bool", I, List.of(B), List.of(Boolean.class), args -> (Boolean) args[0] ? 1L : 0L);

        compare(fs, "_<_", "less", (a, b) -> a.compareTo(b) < 0);
        compare(fs, "_<=_", "less_equals", (a, b) -> a.compareTo(b) <= 0);
        compare(fs, "_>_", "greater", (a, b) -> a.compareTo(b) > 0);
        compare(fs, "_>=_", "greater_equals", (a, b) -> a.compareTo(b) >= 0);
        arithmetic(fs, "_+_", "add", BigDecimal::add);
        arithmetic(fs, "_-_", "subtract", BigDecimal::subtract);
        arithmetic(fs, "_*_", "multiply", BigDecimal::multiply);
    }

    private static void compare(FunctionSet fs, String op, String name, BiPredicate<BigDecimal, BigDecimal> p) {
        fs.add(op, "turnout_" + name + "_decimal", B, List.of(DECIMAL, DECIMAL),
            List.of(Decimal.class, Decimal.class), args -> p.test(((Decimal) args[0]).value(), ((Decimal) args[1]).value()));
    }

    private static void arithmetic(FunctionSet fs, String op, String name,
                                   BiFunction<BigDecimal, BigDecimal, BigDecimal> f) {
        fs.add(op, "turnout_" + name + "_decimal", DECIMAL, List.of(DECIMAL, DECIMAL),
            List.of(Decimal.class, Decimal.class), args -> Decimal.of(f.apply(((Decimal) args[0]).value(), ((Decimal) args[1]).value())));
    }

    private static BigDecimal parse(String s) {
        try {
            return new BigDecimal(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the text is not a decimal number");
        }
    }

    private static BigDecimal fromDouble(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("NaN and infinities have no decimal value");
        }
        // The shortest decimal that reads back as d (0.1, not 0.1000000000000000055511151231257827).
        return BigDecimal.valueOf(d);
    }

    /** Truncates toward zero, as CEL's int(double) does; fails rather than wrapping when out of range. */
    private static long toLong(BigDecimal d) {
        try {
            return d.setScale(0, RoundingMode.DOWN).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the value is out of the range of int");
        }
    }
}
