package dev.turnout.cutover;

/** The record headers Turnout writes and reads to pair a record on one cluster with its counterpart on the other. */
public final class TurnoutHeaders {

    /**
     * The record id (a UUIDv7, as text) that {@link DualPublisher} puts on both copies of a record it publishes to both
     * clusters. Two records with the same id are counterparts.
     */
    public static final String ID = "turnout.id";

    /**
     * Where a record copied by {@code turnout topics copy} came from: a {@link SourceRef}. The only header left out of
     * record fingerprints, because the original does not carry it.
     */
    public static final String SRC = "turnout.src";

    /** The compacted topic holding offset snapshots and cutover certificates on each cluster. */
    public static final String SNAPSHOTS_TOPIC = "turnout.offsets.snapshots";

    private TurnoutHeaders() {
    }
}
