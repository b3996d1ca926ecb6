package dev.turnout.rollout;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A share of keys in basis points, from 0 (none) to {@value #MAX} (all): the unit a rollout's percentage is kept in, one
 * bucket per basis point. Written and shown as a percentage with at most two decimals ({@code 12.5%} is 1250).
 *
 * @param value basis points, 0 to {@value #MAX}
 */
public record BasisPoints(int value) implements Comparable<BasisPoints> {

    /** All keys: 100 %. Also the number of buckets keys are hashed into. */
    public static final int MAX = 10_000;
    /** No key. */
    public static final BasisPoints NONE = new BasisPoints(0);
    /** Every key. */
    public static final BasisPoints ALL = new BasisPoints(MAX);

    public BasisPoints {
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException("basis points must be from 0 to " + MAX + ", got " + value);
        }
    }

    /** A percentage with at most two decimals, 0 to 100; anything finer than a basis point is an error, never rounded. */
    public static BasisPoints ofPercent(BigDecimal percent) {
        BigDecimal points = percent.movePointRight(2);
        if (points.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("a percentage has at most two decimals (a basis point), got "
                + percent.toPlainString());
        }
        if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException("a percentage is from 0 to 100, got " + percent.toPlainString());
        }
        return new BasisPoints(points.intValueExact());
    }

    /** Parses {@code 25}, {@code 12.5}, {@code 0.01%}; throws {@link IllegalArgumentException} with the reason. */
    public static BasisPoints parse(String text) {
        String t = text.strip();
        if (t.endsWith("%")) {
            t = t.substring(0, t.length() - 1).strip();
        }
        BigDecimal percent;
        try {
            percent = new BigDecimal(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a percentage such as 25 or 12.5, got '" + text + "'");
        }
        return ofPercent(percent);
    }

    /** The percentage, exact. */
    public BigDecimal percent() {
        BigDecimal p = BigDecimal.valueOf(value, 2).stripTrailingZeros();
        return p.scale() < 0 ? p.setScale(0, RoundingMode.UNNECESSARY) : p;
    }

    @Override
    public int compareTo(BasisPoints other) {
        return Integer.compare(value, other.value);
    }

    /** The percentage with a percent sign: {@code 25%}, {@code 12.5%}, {@code 0.01%}. */
    @Override
    public String toString() {
        return percent().toPlainString() + "%";
    }
}
