package dev.turnout.app.dashboard;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} samples of one table's counts, oldest first: the data of the dashboard's sparklines.
 * Thread-safe (the sampler adds, request threads read).
 */
final class TrendRing {

    /** The counts of one table at one moment (epoch milliseconds). */
    record Sample(long at, StatusCounts counts) {
    }

    private final Sample[] samples;
    private int next;
    private int size;

    TrendRing(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("a trend needs at least 2 samples, got " + capacity);
        }
        this.samples = new Sample[capacity];
    }

    synchronized void add(Sample sample) {
        samples[next] = sample;
        next = (next + 1) % samples.length;
        size = Math.min(size + 1, samples.length);
    }

    /** The samples, oldest first. */
    synchronized List<Sample> samples() {
        List<Sample> out = new ArrayList<>(size);
        int start = (next - size + samples.length) % samples.length;
        for (int i = 0; i < size; i++) {
            out.add(samples[(start + i) % samples.length]);
        }
        return out;
    }
}
