package dev.turnout.rollout;

/** Which system serves a key: the one being migrated from, or the one being migrated to. */
public enum Route {
    /** The old system. */
    OLD,
    /** The new system. */
    NEW
}
