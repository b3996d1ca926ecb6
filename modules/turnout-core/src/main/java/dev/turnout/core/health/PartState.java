package dev.turnout.core.health;

/** Where a part is in its life. Only {@link #RUNNING} counts as up. */
public enum PartState {
    /** Configured, not yet running: starting, snapshotting its first position, or waiting for a dependency. */
    STARTING,
    /** Doing its work. */
    RUNNING,
    /** Stopped because it was asked to (shutdown). */
    STOPPED,
    /** Stopped by itself on an error it will not recover from; the process should be restarted or repaired. */
    FAILED
}
