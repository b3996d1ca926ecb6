package dev.turnout.transform.stream;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.turnout.core.config.TableId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The transform's meters: {@code turnout.transform.records} (tags {@code table}, {@code outcome} =
 * applied|filtered|dlq) and {@code turnout.transform.dlq} (tags {@code table}, {@code reason} =
 * undecodable|expression|key). Counted as records are processed; a Streams transaction that aborts and is processed
 * again counts its records again. Thread-safe.
 */
final class TransformMetrics {

    /** What became of one CDC record. */
    enum Outcome {
        /** One or more apply records were emitted. */
        APPLIED,
        /** Nothing was emitted: the row is outside the target ({@code where}) and was not in it before. */
        FILTERED,
        /** Dead-lettered. */
        DLQ
    }

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    TransformMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(TableId table, Outcome outcome) {
        String tag = outcome.name().toLowerCase(Locale.ROOT);
        counters.computeIfAbsent("records/" + table + "/" + tag, k -> Counter.builder("turnout.transform.records")
            .description("CDC records transformed, by outcome").tag("table", table.toString()).tag("outcome", tag)
            .register(registry)).increment();
    }

    void deadLettered(TableId table, PoisonKind kind) {
        record(table, Outcome.DLQ);
        counters.computeIfAbsent("dlq/" + table + "/" + kind.tag, k -> Counter.builder("turnout.transform.dlq")
            .description("CDC records sent to the dead-letter topic, by reason").tag("table", table.toString())
            .tag("reason", kind.tag).register(registry)).increment();
    }
}
