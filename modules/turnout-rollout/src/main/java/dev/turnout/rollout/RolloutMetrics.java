package dev.turnout.rollout;

/** Names of the rollout library's Micrometer meters, in dot notation (Prometheus: {@code turnout_rollout_percent}). */
public final class RolloutMetrics {

    /** Gauge, tag {@code rollout}: the share of keys routed to NEW, in percent, as the reporting component last read it. */
    public static final String PERCENT = "turnout.rollout.percent";
    /** Gauge: 1 once a router has read the rollout state, 0 while it still answers its safe default. */
    public static final String ROUTER_READY = "turnout.rollout.router.ready";
    /** Gauge, tags {@code rollout}, {@code gate}: 1 pass, 0 fail, -1 not applicable (as the guard last checked). */
    public static final String GATE_STATUS = "turnout.rollout.gate.status";
    /** Counter, tag {@code rollout}: the guard's automatic holds and rollbacks, tag {@code action}. */
    public static final String GUARD_ACTIONS = "turnout.rollout.guard.actions";
    /** Counter, tag {@code rollout}: shadow reads whose two results were compared. */
    public static final String SHADOW_COMPARED = "turnout.rollout.shadow.compared";
    /** Counter, tag {@code rollout}: compared reads whose results differed (each published to the diffs topic). */
    public static final String SHADOW_DIFFS = "turnout.rollout.shadow.diffs";
    /** Counter, tag {@code rollout}: shadow calls abandoned at the timeout. */
    public static final String SHADOW_TIMEOUTS = "turnout.rollout.shadow.timeouts";
    /** Counter, tag {@code rollout}: shadow calls that threw (published to the diffs topic as SHADOW_FAILED). */
    public static final String SHADOW_ERRORS = "turnout.rollout.shadow.errors";
    /** Counter, tag {@code rollout}: shadow calls not made (pool full, or the primary failed, so nothing to compare). */
    public static final String SHADOW_SKIPPED = "turnout.rollout.shadow.skipped";

    private RolloutMetrics() {
    }
}
