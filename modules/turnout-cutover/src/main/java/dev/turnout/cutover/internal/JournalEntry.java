package dev.turnout.cutover.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;

/**
 * One record waiting for the secondary cluster: everything needed to send it again, byte for byte, plus its journal
 * sequence number. The state fields are guarded by the {@link Journal}'s lock.
 */
public final class JournalEntry {

    final String topic;
    final int partition;
    final long timestamp;
    final byte[] key;
    final byte[] value;
    final List<Header> headers;
    final String id;
    /** Completed with the secondary's acknowledgement (SECONDARY_ONLY sends wait on it); may be null. */
    final CompletableFuture<RecordMetadata> acknowledged;
    long seq = -1;
    boolean acked;

    public JournalEntry(String topic, int partition, long timestamp, byte[] key, byte[] value, List<Header> headers,
                        String id, CompletableFuture<RecordMetadata> acknowledged) {
        this.topic = topic;
        this.partition = partition;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
        this.headers = List.copyOf(headers);
        this.id = id;
        this.acknowledged = acknowledged;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public String id() {
        return id;
    }
}
