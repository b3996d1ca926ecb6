package dev.turnout.capture.internal;

/**
 * Recognises change records the slot sends again after a crash although Kafka already holds them.
 *
 * <p>The writer commits each batch and the position of its last record in one Kafka transaction, but the slot learns
 * how far capture got only afterwards, when the engine confirms the batch's commit LSN. After a crash in between,
 * PostgreSQL re-sends every transaction that committed after the slot's confirmed LSN: whole transactions, in commit
 * order, decoded into the same records as before. So the re-sent stream replays what capture wrote, from the
 * confirmed point up to the stored last record, and only then continues with new changes.
 *
 * <p>Debezium's own offset fields cannot say where that replay ends: a transaction that commits later may have written
 * its changes to the WAL earlier, so change LSNs do not order transactions, and {@code lsn_commit} in a restarted
 * engine's records is the value it loaded until the next commit. The stored position names the record exactly
 * (transaction, LSN, ordinal at that LSN). Whether its transaction will be re-sent follows from the slot: a transaction
 * Kafka holds only in part has not been confirmed, and a complete one is re-sent unless the slot confirmed past its
 * commit (at exactly its commit LSN, the first re-sent record tells).
 */
final class RedeliveryFilter {

    private enum State { PASS, AMBIGUOUS, DROP_UNTIL_STORED }

    private final WriterPosition stored;
    private State state;

    /**
     * @param stored        the last record committed to Kafka, or null when nothing was streamed yet
     * @param slotConfirmed the slot's confirmed flush LSN when capture started
     */
    RedeliveryFilter(WriterPosition stored, long slotConfirmed) {
        this.stored = stored;
        if (stored == null || (stored.complete() && stored.commitLsn() < slotConfirmed)) {
            state = State.PASS;
        } else if (stored.complete() && stored.commitLsn() == slotConfirmed) {
            state = State.AMBIGUOUS;
        } else {
            state = State.DROP_UNTIL_STORED;
        }
    }

    /** Whether the record at {@code position} (null for one without a position) is already in Kafka. */
    boolean alreadyWritten(WriterPosition position) {
        if (position == null || state == State.PASS) {
            return false;
        }
        if (state == State.AMBIGUOUS) {
            // Confirmed exactly at the stored transaction's commit: re-sent only if it comes first.
            state = position.txId() == stored.txId() ? State.DROP_UNTIL_STORED : State.PASS;
            if (state == State.PASS) {
                return false;
            }
        }
        if (position.txId() != stored.txId()) {
            // The stored transaction is re-sent; everything before it in commit order is older and already written.
            return true;
        }
        if (position.isBefore(stored)) {
            return true;
        }
        state = State.PASS;
        // The stored record itself is the last one written; anything after it in its transaction is new.
        return position.lsn() == stored.lsn() && position.ordinal() == stored.ordinal();
    }

    boolean filtering() {
        return state != State.PASS;
    }
}
