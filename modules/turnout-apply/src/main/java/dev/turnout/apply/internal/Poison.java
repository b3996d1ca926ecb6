package dev.turnout.apply.internal;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.turnout.core.config.TableId;

/**
 * An apply record that cannot be written, and why: it goes to the dead-letter topic with its original bytes.
 *
 * @param record     the apply-topic record as read
 * @param table      the target table of its topic
 * @param reason     one line: table, column if known, what is wrong with the value, PostgreSQL's message if any; for
 *                   the dead-letter header, next to the record's own bytes (PostgreSQL's message may quote the value)
 * @param summary    the reason without PostgreSQL's message, for logs, which never carry row values
 * @param errorClass the class of the error behind it
 */
public record Poison(ConsumerRecord<byte[], byte[]> record, TableId table, String reason, String summary,
                     String errorClass) {

    /** A poison record whose reason quotes no value, so logs may carry it whole. */
    public Poison(ConsumerRecord<byte[], byte[]> record, TableId table, String reason, String errorClass) {
        this(record, table, reason, reason, errorClass);
    }
}
