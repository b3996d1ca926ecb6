package dev.turnout.app.cli;

import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The one-line status of a pipeline process, read from the meters its parts publish, so it says what
 * {@code /metrics} says: changes captured ({@code turnout.capture.events}), CDC records transformed
 * ({@code turnout.transform.records}), rows applied ({@code turnout.apply.rows}, outcome written), apply lag (records
 * behind the apply topics' end, {@code turnout.apply.lag}, and the mean source-commit-to-target-commit time of the
 * rows written since the previous line, {@code turnout.apply.visible.latency}) and dead letters
 * ({@code turnout.transform.dlq} + {@code turnout.apply.dlq}), and the reconciled keys per status with the oldest
 * unresolved difference ({@code turnout.reconcile.keys}, {@code turnout.reconcile.oldest.unresolved}). A part this
 * process does not run is left out.
 * Not thread-safe: one status thread calls {@link #line()}.
 */
final class PipelineStatus {

    private final MeterRegistry meters;
    private long lastVisibleCount;
    private double lastVisibleSeconds;
    private String lastLatency = "-";

    PipelineStatus(MeterRegistry meters) {
        this.meters = meters;
    }

    String line() {
        StringBuilder line = new StringBuilder();
        Collection<Counter> captured = meters.find("turnout.capture.events").counters();
        if (!captured.isEmpty()) {
            line.append("captured ").append(sum(captured)).append(" | ");
        }
        Collection<Counter> transformed = meters.find("turnout.transform.records").counters();
        if (!transformed.isEmpty()) {
            line.append("transformed ").append(sum(transformed)).append(" | ");
        }
        Collection<Counter> applied = meters.find("turnout.apply.rows").tag("outcome", "written").counters();
        if (!applied.isEmpty()) {
            long behind = Math.round(meters.find("turnout.apply.lag").gauges().stream().mapToDouble(Gauge::value).sum());
            line.append("applied ").append(sum(applied)).append(" | lag ").append(behind).append(" records, ")
                .append(latency()).append(" | ");
        }
        Collection<Gauge> keys = meters.find("turnout.reconcile.keys").gauges();
        if (!keys.isEmpty()) {
            line.append("keys match ").append(keys(keys, "match")).append(", pending ").append(keys(keys, "pending"))
                .append(", mismatch ").append(keys(keys, "mismatch")).append(", missing ").append(keys(keys, "missing"))
                .append(", extra ").append(keys(keys, "extra"));
            double oldest = meters.find("turnout.reconcile.oldest.unresolved").gauges().stream()
                .mapToDouble(Gauge::value).max().orElse(0);
            line.append(oldest > 0 ? String.format(Locale.ROOT, " (oldest %.0f s)", oldest) : "").append(" | ");
        }
        long dead = sum(meters.find("turnout.transform.dlq").counters()) + sum(meters.find("turnout.apply.dlq").counters());
        return line.append("DLQ ").append(dead).toString();
    }

    private static long keys(Collection<Gauge> gauges, String status) {
        return Math.round(gauges.stream().filter(g -> status.equals(g.getId().getTag("status")))
            .mapToDouble(Gauge::value).sum());
    }

    /** Mean visible latency of the rows written since the last call; the previous figure while none were written. */
    private String latency() {
        Timer visible = meters.find("turnout.apply.visible.latency").timer();
        if (visible == null) {
            return lastLatency;
        }
        long count = visible.count();
        double seconds = visible.totalTime(TimeUnit.SECONDS);
        if (count > lastVisibleCount) {
            double mean = (seconds - lastVisibleSeconds) / (count - lastVisibleCount);
            lastLatency = String.format(Locale.ROOT, "%.1f s", mean);
        }
        lastVisibleCount = count;
        lastVisibleSeconds = seconds;
        return lastLatency;
    }

    private static long sum(Collection<Counter> counters) {
        return Math.round(counters.stream().mapToDouble(Counter::count).sum());
    }
}
