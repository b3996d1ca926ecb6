package dev.turnout.capture;

/**
 * The replication slot capture reads from is gone (dropped) or invalidated (its WAL was removed, e.g. by
 * {@code max_slot_wal_keep_size}). Changes made while it was gone cannot be recovered from it; capture stops rather
 * than silently re-creating the slot and re-snapshotting. The message names the slot and what to do.
 */
public final class SlotLostException extends RuntimeException {

    private final String slot;

    public SlotLostException(String slot, String what) {
        super("Replication slot '" + slot + "' " + what + "; capture stopped. Changes made since it was lost cannot be "
            + "read from it. To start over: run 'turnout slot drop --execute' if it still exists, delete the pipeline's "
            + "capture-offsets topic, and start capture again with snapshot: initial (the target is then re-snapshotted).");
        this.slot = slot;
    }

    public String slot() {
        return slot;
    }
}
