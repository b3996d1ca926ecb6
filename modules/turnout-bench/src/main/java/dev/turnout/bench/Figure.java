package dev.turnout.bench;

/**
 * One measured figure of the suite: a row of the printed table and an entry of {@code bench-results.json}.
 *
 * @param scenario the scenario that measured it (e2e, latency, capture, translation, heap)
 * @param name     what was measured, e.g. {@code bulk.turnout}
 * @param value    the measurement in {@code unit}
 * @param unit     rows/s, ms, s, MiB or x (a ratio)
 * @param goal     the goal for this figure, e.g. {@code >= 0.5}, or empty when it has none
 * @param met      whether the goal is met; null when there is no goal
 * @param note     how it was measured, in a few words
 */
public record Figure(String scenario, String name, double value, String unit, String goal, Boolean met, String note) {

    /** A figure without a goal. */
    public static Figure of(String scenario, String name, double value, String unit, String note) {
        return new Figure(scenario, name, value, unit, "", null, note);
    }

    /** A figure that must be at least {@code least}. */
    public static Figure atLeast(String scenario, String name, double value, String unit, double least, String note) {
        return new Figure(scenario, name, value, unit, ">= " + plain(least), value >= least, note);
    }

    /** A figure that must be at most {@code most}. */
    public static Figure atMost(String scenario, String name, double value, String unit, double most, String note) {
        return new Figure(scenario, name, value, unit, "<= " + plain(most), value <= most, note);
    }

    private static String plain(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
