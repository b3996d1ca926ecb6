package dev.turnout.capture.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recognises change records the slot sends again after a crash although Kafka already holds them.
 *
 * <p>The writer commits each batch and the position of its last record in one Kafka transaction, but the slot learns
 * how far capture got only afterwards, when the engine confirms the batch. After a crash in between PostgreSQL re-sends
 * whole transactions, in commit order, which Debezium decodes into the same records as before. The engine resumes at
 * the last written record's LSN, with its own search of the stream and its transaction context left out
 * ({@link TopicOffsetBackingStore#resumeAt}). PostgreSQL then sends the transactions that commit after that LSN. If the
 * last written record was a COMMIT marker (its LSN is the end of the commit record), none of them is in Kafka yet.
 * Otherwise the last written record's transaction comes again in full, preceded by any transaction that committed
 * between that LSN and its commit; Kafka holds all of those up to the last written record.
 *
 * <p>The stored position names the record exactly (transaction, LSN, ordinal among the transaction's records at that
 * LSN), because Debezium's offset fields cannot: a restarted engine repeats the {@code lsn_commit} it loaded until the
 * next commit, a BEGIN marker shares the first change's LSN, and change LSNs do not order interleaved transactions.
 */
final class RedeliveryFilter {

    private static final Logger log = LoggerFactory.getLogger(RedeliveryFilter.class);

    private final WriterPosition stored;
    private boolean filtering;

    /** @param stored the last record committed to Kafka, or null when nothing was streamed yet */
    RedeliveryFilter(WriterPosition stored) {
        this.stored = stored;
        this.filtering = stored != null && !stored.complete();
        if (filtering) {
            log.info("Capture resumes inside source transaction {} (last written record at LSN {}, #{}); records the slot "
                + "sends again up to that one are already in Kafka and will be skipped", stored.txId(), stored.lsn(),
                stored.ordinal());
        }
    }

    /** Whether the record at {@code position} (null for one without a position) is already in Kafka. */
    boolean alreadyWritten(WriterPosition position) {
        if (!filtering || position == null) {
            return false;
        }
        if (position.txId() != stored.txId()) {
            // Committed before the stored transaction, whose first record has not come yet.
            return true;
        }
        if (position.isBefore(stored)) {
            return true;
        }
        filtering = false;
        // The stored record itself is the last one written; anything after it in its transaction is new.
        return position.lsn() == stored.lsn() && position.ordinal() == stored.ordinal();
    }

    boolean filtering() {
        return filtering;
    }
}
