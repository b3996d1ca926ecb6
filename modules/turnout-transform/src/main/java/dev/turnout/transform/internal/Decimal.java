package dev.turnout.transform.internal;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A {@code decimal} inside CEL. CEL compares values of types it does not know with {@code equals}, and
 * {@link BigDecimal#equals} counts the scale ({@code 1.50 != 1.5}); this wrapper compares by value, as SQL does, while
 * keeping the scale it came with for the target row. Immutable.
 */
public final class Decimal implements Comparable<Decimal> {

    private final BigDecimal value;

    private Decimal(BigDecimal value) {
        this.value = Objects.requireNonNull(value);
    }

    public static Decimal of(BigDecimal value) {
        return new Decimal(value);
    }

    public BigDecimal value() {
        return value;
    }

    @Override
    public int compareTo(Decimal o) {
        return value.compareTo(o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Decimal d && value.compareTo(d.value) == 0;
    }

    @Override
    public int hashCode() {
        // Equal values must hash alike whatever their scale.
        return value.signum() == 0 ? 0 : value.stripTrailingZeros().hashCode();
    }

    @Override
    public String toString() {
        return value.toPlainString();
    }
}
