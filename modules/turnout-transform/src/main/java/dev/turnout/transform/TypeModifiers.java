package dev.turnout.transform;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The declared size of a source column's type, where the catalog gives one: the length of {@code varchar(n)},
 * {@code char(n)}, {@code bit(n)}, {@code varbit(n)}; the precision and scale of {@code numeric(p,s)}. Fractional-second
 * digits of times are {@link SourceColumn#datetimePrecision()}. Immutable.
 *
 * @param length    maximum length in characters (or bits), empty when unbounded or not a sized type
 * @param precision total digits of a {@code numeric}, empty when unconstrained
 * @param scale     digits after the point of a {@code numeric}, empty when unconstrained
 */
public record TypeModifiers(OptionalInt length, OptionalInt precision, OptionalInt scale) {

    /** No declared size. */
    public static final TypeModifiers NONE = new TypeModifiers(OptionalInt.empty(), OptionalInt.empty(),
        OptionalInt.empty());

    public TypeModifiers {
        Objects.requireNonNull(length, "length");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(scale, "scale");
    }

    /** A length such as the 20 of {@code varchar(20)}. */
    public static TypeModifiers length(int length) {
        return new TypeModifiers(OptionalInt.of(length), OptionalInt.empty(), OptionalInt.empty());
    }

    /** The precision and scale of {@code numeric(p,s)}. */
    public static TypeModifiers numeric(int precision, int scale) {
        return new TypeModifiers(OptionalInt.empty(), OptionalInt.of(precision), OptionalInt.of(scale));
    }
}
