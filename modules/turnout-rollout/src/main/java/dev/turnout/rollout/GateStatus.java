package dev.turnout.rollout;

/** A gate's verdict. */
public enum GateStatus {
    /** Within its threshold. */
    PASS,
    /** Beyond its threshold: {@code advance} refuses; for long enough, the guard holds or rolls back. */
    FAIL,
    /** Nothing to judge (the topic it reads does not exist, too few calls): it neither passes nor blocks. */
    NOT_APPLICABLE;

    /** As shown to operators: {@code pass}, {@code FAIL}, {@code not applicable}. */
    public String display() {
        return switch (this) {
            case PASS -> "pass";
            case FAIL -> "FAIL";
            case NOT_APPLICABLE -> "not applicable";
        };
    }
}
