package dev.turnout.core.metrics;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One metric Turnout publishes: its Micrometer name (dotted), type, base unit, tags and meaning.
 *
 * @param name        Micrometer name, e.g. {@code turnout.apply.lag}
 * @param type        counter, gauge or timer
 * @param baseUnit    Micrometer base unit ({@code seconds}, {@code bytes}), if any; timers are always in seconds
 * @param histogram   a timer that publishes a percentile histogram ({@code _bucket} series, for
 *                    {@code histogram_quantile}); false for every other meter
 * @param tags        tag keys, in documentation order
 * @param source      where it comes from: a part ({@code capture}, {@code apply}, ...) or {@code DualPublisher}
 * @param description what it measures, one sentence
 */
public record MetricDefinition(String name, Type type, Optional<String> baseUnit, boolean histogram, List<String> tags,
                               String source, String description) {

    /** Micrometer meter types Turnout uses. */
    public enum Type { COUNTER, GAUGE, TIMER }

    public MetricDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(baseUnit, "baseUnit");
        tags = List.copyOf(tags);
        if (!name.matches("turnout(\\.[a-z]+)+")) {
            throw new IllegalArgumentException("metric name must be turnout.<lower-case words>: " + name);
        }
        if (histogram && type != Type.TIMER) {
            throw new IllegalArgumentException("only a timer publishes a percentile histogram: " + name);
        }
    }

    /**
     * The Prometheus family name: dots become underscores, then the base unit is appended ({@code _seconds} for
     * timers). Counters' samples add {@code _total}; see {@link #prometheusSamples()}.
     */
    public String prometheusName() {
        String base = name.replace('.', '_');
        String unit = type == Type.TIMER ? "seconds" : baseUnit.orElse(null);
        return unit == null || base.endsWith("_" + unit) ? base : base + "_" + unit;
    }

    /** The sample names this metric appears under in the Prometheus text format. */
    public List<String> prometheusSamples() {
        String family = prometheusName();
        return switch (type) {
            case COUNTER -> List.of(family + "_total");
            case GAUGE -> List.of(family);
            case TIMER -> histogram ? List.of(family + "_count", family + "_sum", family + "_max", family + "_bucket")
                : List.of(family + "_count", family + "_sum", family + "_max");
        };
    }
}
