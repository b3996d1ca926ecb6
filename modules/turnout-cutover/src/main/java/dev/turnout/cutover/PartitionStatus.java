package dev.turnout.cutover;

/** The outcome of translating one partition's committed offset. Never a guess: anything uncertain is UNRESOLVED. */
public enum PartitionStatus {
    /** The target offset is fixed by counterparts on both sides of the cut. */
    EXACT,
    /** The group has consumed nothing the target holds: it starts at the target's log start. */
    AT_START,
    /** Every record on the target is a counterpart of a consumed record: the group starts at the target's end. */
    AT_END,
    /** No target offset can be proven; the plan says why. */
    UNRESOLVED;

    /** Whether a plan may commit this partition's target offset. */
    public boolean isResolved() {
        return this != UNRESOLVED;
    }
}
