package dev.turnout.cutover;

import java.time.Duration;

/**
 * Tuning of offset translation. Immutable, validated at construction.
 *
 * @param window       records read on each side of the cut at first; windows grow fourfold while the evidence is not
 *                     conclusive
 * @param maxWindow    the largest window before the cut, in offsets, before giving up as UNRESOLVED
 * @param maxTarget    the most target records read for one partition
 * @param skew         how far out of timestamp order records may be on one partition (several producers with
 *                     different clocks); bounds how far past a record's timestamp its counterpart is searched for
 * @param timeout      how long one cluster request may take, and how long a read may make no progress
 */
public record TranslationOptions(int window, int maxWindow, int maxTarget, Duration skew, Duration timeout) {

    public static final TranslationOptions DEFAULTS =
        new TranslationOptions(32, 1024, 4096, Duration.ofSeconds(30), Duration.ofSeconds(30));

    public TranslationOptions {
        if (window < 1 || maxWindow < window || maxTarget < 2 * window) {
            throw new IllegalArgumentException("Invalid translation windows: window=" + window + ", maxWindow=" + maxWindow
                + ", maxTarget=" + maxTarget + " (need 1 <= window <= maxWindow and maxTarget >= 2*window)");
        }
        if (skew.isNegative() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("Invalid skew " + skew + " or timeout " + timeout);
        }
    }

    public TranslationOptions withTimeout(Duration timeout) {
        return new TranslationOptions(window, maxWindow, maxTarget, skew, timeout);
    }

    public TranslationOptions withWindow(int window, int maxWindow) {
        return new TranslationOptions(window, maxWindow, maxTarget, skew, timeout);
    }
}
