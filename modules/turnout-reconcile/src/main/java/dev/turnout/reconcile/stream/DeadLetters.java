package dev.turnout.reconcile.stream;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import dev.turnout.transform.stream.DeadLetterHeaders;
import dev.turnout.transform.stream.DeadLetterLog;

/**
 * Turns a record reconciliation cannot read into a dead letter for {@code turnout.<pipeline>.dlq}: original key, value
 * and headers, plus the transform's dead-letter headers with stage {@value #STAGE}, and one rate-limited WARN line.
 * Thread-safe.
 */
final class DeadLetters {

    static final String STAGE = "reconcile";

    private final DeadLetterLog log;

    DeadLetters(String deadLetterTopic) {
        this.log = new DeadLetterLog(deadLetterTopic);
    }

    Record<Bytes, Output> of(Record<byte[], byte[]> record, RecordMetadata meta, String reason, Throwable error) {
        String line = DecodeFailures.oneLine(reason);
        Headers headers = new RecordHeaders(record.headers().toArray());
        put(headers, DeadLetterHeaders.REASON, line);
        put(headers, DeadLetterHeaders.SOURCE_TOPIC, meta.topic());
        put(headers, DeadLetterHeaders.SOURCE_PARTITION, String.valueOf(meta.partition()));
        put(headers, DeadLetterHeaders.SOURCE_OFFSET, String.valueOf(meta.offset()));
        put(headers, DeadLetterHeaders.ERROR_CLASS, (error.getCause() != null ? error.getCause() : error)
            .getClass().getName());
        put(headers, DeadLetterHeaders.STAGE, STAGE);
        log.deadLettered(meta.topic(), meta.partition(), meta.offset(), line);
        return new Record<>(record.key() == null ? null : Bytes.wrap(record.key()),
            new Output.DeadLetter(record.key(), record.value()), record.timestamp(), headers);
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
