package dev.turnout.reconcile.verify;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import dev.turnout.core.config.TurnoutConfig;

/**
 * How {@code turnout verify} compares. Immutable; validated at construction.
 *
 * @param table              compare only this table (source or target name); empty for every table
 * @param bisectionFactor    segments a differing key range is split into per checksum level (at least 2)
 * @param bisectionThreshold rows at or below which a differing range is compared row by row (at least 1)
 * @param timeout            longest wait for the pipeline to pass a compared source position
 * @param settle             dual-write mode: the wait before differing keys are compared again
 * @param samples            keys listed per table and kind of difference in the report
 */
public record VerifyOptions(Optional<String> table, int bisectionFactor, int bisectionThreshold, Duration timeout,
                            Duration settle, int samples) {

    public VerifyOptions {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(settle, "settle");
        if (bisectionFactor < 2) {
            throw new IllegalArgumentException("the bisection factor must be at least 2, got " + bisectionFactor);
        }
        if (bisectionThreshold < 1) {
            throw new IllegalArgumentException("the bisection threshold must be at least 1, got " + bisectionThreshold);
        }
        if (samples < 0) {
            throw new IllegalArgumentException("samples must not be negative, got " + samples);
        }
    }

    /** The config's {@code reconcile.verify} settings, for every table. */
    public static VerifyOptions from(TurnoutConfig config) {
        TurnoutConfig.VerifyConfig v = config.reconcile().verify();
        return new VerifyOptions(Optional.empty(), v.bisectionFactor(), v.bisectionThreshold(), v.timeout(), v.settle(),
            v.samples());
    }

    public VerifyOptions withTable(String name) {
        return new VerifyOptions(Optional.of(name), bisectionFactor, bisectionThreshold, timeout, settle, samples);
    }

    public VerifyOptions withBisection(int factor, int threshold) {
        return new VerifyOptions(table, factor, threshold, timeout, settle, samples);
    }

    public VerifyOptions withTimeout(Duration wait) {
        return new VerifyOptions(table, bisectionFactor, bisectionThreshold, wait, settle, samples);
    }

    public VerifyOptions withSettle(Duration wait) {
        return new VerifyOptions(table, bisectionFactor, bisectionThreshold, timeout, wait, samples);
    }
}
