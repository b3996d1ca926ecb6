package dev.turnout.rollout.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;

/** How gates write numbers for operators: counts with thousands separators, percentages, short durations. */
public final class Amounts {

    private Amounts() {
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code part} of {@code whole} in percent with two decimals: {@code 0.30%}. */
    public static String percent(long part, long whole) {
        if (whole == 0) {
            return "0%";
        }
        return BigDecimal.valueOf(part).movePointRight(2).divide(BigDecimal.valueOf(whole), 2, RoundingMode.HALF_UP)
            .toPlainString() + "%";
    }

    /** A threshold percentage as configured: {@code 0.1%}. */
    public static String percent(BigDecimal percent) {
        return percent.toPlainString() + "%";
    }

    /** Whether {@code part} of {@code whole} is more than {@code maxPercent} percent, exactly. */
    public static boolean exceeds(long part, long whole, BigDecimal maxPercent) {
        return BigDecimal.valueOf(part).movePointRight(2).compareTo(maxPercent.multiply(BigDecimal.valueOf(whole))) > 0;
    }

    /** {@code 2m10s}, {@code 45s}, {@code 1h5m}, {@code 350ms}. */
    public static String duration(Duration d) {
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        StringBuilder b = new StringBuilder();
        if (s >= 86_400) {
            b.append(s / 86_400).append('d');
            s %= 86_400;
        }
        if (s >= 3_600) {
            b.append(s / 3_600).append('h');
            s %= 3_600;
        }
        if (s >= 60) {
            b.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0 || b.length() == 0) {
            b.append(s).append('s');
        }
        return b.toString();
    }
}
