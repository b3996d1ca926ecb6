package dev.turnout.apply.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import dev.turnout.core.config.TableId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The applier's meters, named as every part of Turnout names them: {@code turnout.apply.rows} (tags table, op,
 * outcome), {@code turnout.apply.batch} (timer, tag table), {@code turnout.apply.visible.latency} (source commit to
 * target commit, with a percentile histogram), {@code turnout.apply.lag} (records behind the apply topics' end, tag
 * table) and {@code turnout.apply.dlq} (tag table). The part's health ({@code turnout.part.up}) is published by the
 * process's parts registry, not here. Thread-safe.
 */
public final class ApplyMetrics implements AutoCloseable {

    /** What happened to a change. */
    public enum Outcome {
        WRITTEN("written"), SKIPPED_OLDER("skipped_older");

        final String tag;

        Outcome(String tag) {
            this.tag = tag;
        }
    }

    private final MeterRegistry registry;
    private final Timer visible;
    private final Map<TableId, AtomicLong> lag = new ConcurrentHashMap<>();
    private final List<Meter> gauges = new CopyOnWriteArrayList<>();

    public ApplyMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.visible = Timer.builder("turnout.apply.visible.latency")
            .description("Source commit to target commit of each written change")
            .publishPercentileHistogram()
            .register(registry);
    }

    /** Registers the meters of a table up front, so dashboards see zeros rather than nothing. */
    public void table(TableId table) {
        AtomicLong behind = lag.computeIfAbsent(table, t -> new AtomicLong());
        gauges.add(Gauge.builder("turnout.apply.lag", behind, AtomicLong::get)
            .description("Records in the table's apply topic not yet written to the target").tag("table", table.toString())
            .register(registry));
        for (String op : new String[] {"upsert", "delete"}) {
            for (Outcome o : Outcome.values()) {
                rowsCounter(table, op, o);
            }
        }
        dlqCounter(table);
        batchTimer(table);
    }

    public void rows(TableId table, boolean upsert, Outcome outcome, long n) {
        if (n > 0) {
            rowsCounter(table, upsert ? "upsert" : "delete", outcome).increment(n);
        }
    }

    public void deadLettered(TableId table) {
        dlqCounter(table).increment();
    }

    public void batch(TableId table, Duration took) {
        batchTimer(table).record(took);
    }

    public void visible(Duration latency) {
        if (!latency.isNegative()) {
            visible.record(latency);
        }
    }

    public void lag(TableId table, long records) {
        lag.computeIfAbsent(table, t -> new AtomicLong()).set(records);
    }

    /**
     * Removes the gauges, which read this applier's state: an applier started later in the same registry registers its
     * own. Counters and timers stay, and keep counting across restarts.
     */
    @Override
    public void close() {
        gauges.forEach(registry::remove);
        gauges.clear();
    }

    private Counter rowsCounter(TableId table, String op, Outcome outcome) {
        return Counter.builder("turnout.apply.rows").description("Changes the applier wrote or skipped as older")
            .tag("table", table.toString()).tag("op", op).tag("outcome", outcome.tag).register(registry);
    }

    private Counter dlqCounter(TableId table) {
        return Counter.builder("turnout.apply.dlq").description("Apply records sent to the dead-letter topic")
            .tag("table", table.toString()).register(registry);
    }

    private Timer batchTimer(TableId table) {
        return Timer.builder("turnout.apply.batch").description("One partition batch: its target transaction")
            .tag("table", table.toString()).register(registry);
    }
}
