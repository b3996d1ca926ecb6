package dev.turnout.core.health;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The parts one Turnout process is configured to run, and how each is doing; what {@code /health/ready},
 * {@code /health/live} and the gauge {@code turnout.part.up{part}} report.
 *
 * <p>A runner first {@link #expect expects} every part its config asks for (each reads {@link PartState#STARTING}),
 * then {@link #register registers} each part's {@link PartHealth} once the part is started. So a process is
 * {@linkplain HealthReport#ready() ready} only when every configured part is running, including parts that have not started yet.
 *
 * <p>Thread-safe. Registering a part again replaces its health source (a restarted part); the gauge stays the same.
 */
public final class Parts {

    private static final PartHealth NOT_STARTED = PartStatus::starting;

    private final MeterRegistry meters;
    private final Map<Part, PartHealth> parts = Collections.synchronizedMap(new EnumMap<>(Part.class));

    /** Publishes {@code turnout.part.up{part}} (1 while running, else 0) for every part expected or registered. */
    public Parts(MeterRegistry meters) {
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    /** Declares that this process runs {@code part}; it counts as {@link PartState#STARTING} until registered. */
    public void expect(Part part) {
        if (parts.putIfAbsent(part, NOT_STARTED) == null) {
            publish(part);
        }
    }

    /** The part is started; from now on its state is whatever {@code health} says. */
    public void register(Part part, PartHealth health) {
        Objects.requireNonNull(health, "health");
        if (parts.put(part, health) == null) {
            publish(part);
        }
    }

    /** The status of every expected or registered part, taken now. */
    public HealthReport report() {
        Map<Part, PartHealth> snapshot = new EnumMap<>(Part.class);
        synchronized (parts) {
            snapshot.putAll(parts);
        }
        SortedMap<Part, PartStatus> result = new TreeMap<>();
        snapshot.forEach((part, health) -> result.put(part, statusOf(health)));
        return new HealthReport(result);
    }

    private void publish(Part part) {
        Gauge.builder("turnout.part.up", this, p -> p.isUp(part) ? 1 : 0)
            .description("1 while the part runs, 0 while it starts, stopped or failed")
            .tag("part", part.tag())
            .register(meters);
    }

    private boolean isUp(Part part) {
        PartHealth health = parts.get(part);
        return health != null && statusOf(health).isRunning();
    }

    private static PartStatus statusOf(PartHealth health) {
        try {
            return health.partStatus();
        } catch (RuntimeException e) {
            return PartStatus.failed(e);
        }
    }
}
