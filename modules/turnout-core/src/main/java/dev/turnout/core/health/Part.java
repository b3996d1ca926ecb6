package dev.turnout.core.health;

import java.util.Locale;

/**
 * The parts a Turnout process can run. Each configured part registers its health in {@link Parts}; the process is ready
 * only when every configured part is running.
 */
public enum Part {
    CAPTURE, TRANSFORM, APPLY, RECONCILE, DASHBOARD;

    /** The name used in health reports and as the {@code part} tag of {@code turnout.part.up}: lower case. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
