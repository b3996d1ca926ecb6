package dev.turnout.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/**
 * Percentiles of the applier's {@code turnout.apply.visible.latency} timer (source commit time to target commit, per
 * written change) over a window the benchmark chooses: {@link #install} gives the timer fixed buckets 1 ms apart up
 * to 500 ms (coarser above) that never expire, {@link #mark()} remembers the counts, and {@link #sinceMark()} reads
 * percentiles from the counts added since. A percentile is the upper bound of its bucket, so it errs high by under one
 * bucket. The source commit time has millisecond precision.
 */
final class LatencyHistogram {

    static final String TIMER = "turnout.apply.visible.latency";

    private final MeterRegistry registry;
    private double[] marked = new double[0];
    private long markedCount;

    /** p50/p95/p99 in milliseconds and the changes they are over. */
    record Percentiles(double p50, double p95, double p99, long count) {
    }

    private LatencyHistogram(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Configures the timer's buckets; call before the applier registers it. */
    static LatencyHistogram install(MeterRegistry registry) {
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!TIMER.equals(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(buckets())
                    .expiry(Duration.ofDays(1)).bufferLength(1).build().merge(config);
            }
        });
        return new LatencyHistogram(registry);
    }

    private static double[] buckets() {
        List<Double> millis = new ArrayList<>();
        for (int ms = 1; ms <= 500; ms++) {
            millis.add((double) ms);
        }
        for (int ms = 510; ms <= 5_000; ms += 10) {
            millis.add((double) ms);
        }
        for (int ms = 5_100; ms <= 120_000; ms += 100) {
            millis.add((double) ms);
        }
        return millis.stream().mapToDouble(ms -> TimeUnit.MILLISECONDS.toNanos(1) * ms).toArray();
    }

    synchronized void mark() {
        Timer timer = timer();
        if (timer == null) {
            return;
        }
        marked = cumulative(timer.takeSnapshot().histogramCounts());
        markedCount = timer.count();
    }

    synchronized Percentiles sinceMark() {
        Timer timer = timer();
        if (timer == null) {
            return new Percentiles(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        CountAtBucket[] buckets = timer.takeSnapshot().histogramCounts();
        double[] now = cumulative(buckets);
        long count = timer.count() - markedCount;
        double[] diff = new double[now.length];
        for (int i = 0; i < now.length; i++) {
            diff[i] = now[i] - (i < marked.length ? marked[i] : 0);
        }
        return new Percentiles(at(0.50, buckets, diff, count), at(0.95, buckets, diff, count),
            at(0.99, buckets, diff, count), count);
    }

    private static double at(double p, CountAtBucket[] buckets, double[] cumulative, long count) {
        if (count == 0) {
            return Double.NaN;
        }
        double rank = Math.ceil(p * count);
        for (int i = 0; i < buckets.length; i++) {
            if (cumulative[i] >= rank) {
                return buckets[i].bucket(TimeUnit.MILLISECONDS);
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** Counts at or below each bucket; Micrometer's are cumulative already unless a registry says otherwise. */
    private static double[] cumulative(CountAtBucket[] buckets) {
        double[] out = new double[buckets.length];
        boolean nonDecreasing = true;
        for (int i = 0; i < buckets.length; i++) {
            out[i] = buckets[i].count();
            nonDecreasing &= i == 0 || out[i] >= out[i - 1];
        }
        if (!nonDecreasing) {
            for (int i = 1; i < out.length; i++) {
                out[i] += out[i - 1];
            }
        }
        return out;
    }

    private Timer timer() {
        return registry.find(TIMER).timer();
    }
}
