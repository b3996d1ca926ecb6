package dev.turnout.cutover;

/**
 * One partition's committed offset before and after an apply or replay, as dry runs print it.
 *
 * @param current  the committed offset now, or null when the partition has none
 * @param proposed the offset to commit, or null when the commit is to be deleted or the partition is skipped
 * @param lagAfter records left to read after the change (end offset minus proposed), or null
 */
public record OffsetChange(String topic, int partition, Long current, Long proposed, Long lagAfter, Action action,
                           String note) {

    /** What happens to the partition's commit. */
    public enum Action {
        /** The proposed offset is committed. */
        COMMIT,
        /** The committed offset is deleted (the source has none). */
        DELETE,
        /** Nothing changes (unresolved, or already at the proposed offset). */
        SKIP
    }
}
