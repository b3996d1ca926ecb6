package dev.turnout.core.health;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The states of a process's configured parts at one moment, and what they mean for its probes.
 *
 * @param parts every expected or registered part's status, in {@link Part} order
 */
public record HealthReport(SortedMap<Part, PartStatus> parts) {

    public HealthReport {
        parts = Collections.unmodifiableSortedMap(new TreeMap<>(parts));
    }

    /** At least one part is configured and every configured part is running. */
    public boolean ready() {
        return !parts.isEmpty() && parts.values().stream().allMatch(PartStatus::isRunning);
    }

    /** No part has failed; a failed part does not recover by itself, so the process should be restarted. */
    public boolean live() {
        return parts.values().stream().noneMatch(s -> s.state() == PartState.FAILED);
    }
}
