package dev.turnout.apply.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.turnout.apply.DeadLetterHeaders;

/**
 * Sends poison records to the dead-letter topic with their original key and value bytes and the reason in headers, and
 * waits until the broker has them: the caller commits the target transaction that moves past a poison record only
 * after this returns. Thread-safe (Kafka's producer is); owns its producer.
 */
public final class DeadLetterWriter implements AutoCloseable {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);

    private final String topic;
    private final String bootstrap;
    private final KafkaProducer<byte[], byte[]> producer;

    /** The dead-letter topic could not take the records; nothing may move past them. */
    public static final class DeadLetterException extends Exception {
        DeadLetterException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public DeadLetterWriter(String topic, String bootstrap, Map<String, Object> producerConfig) {
        this.topic = topic;
        this.bootstrap = bootstrap;
        this.producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public String topic() {
        return topic;
    }

    /** Sends every record and waits for all acknowledgements. */
    public void send(List<Poison> poison) throws DeadLetterException {
        if (poison.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (Poison p : poison) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(DeadLetterHeaders.REASON, utf8(p.reason()));
            headers.add(DeadLetterHeaders.SOURCE_TOPIC, utf8(p.record().topic()));
            headers.add(DeadLetterHeaders.SOURCE_PARTITION, utf8(Integer.toString(p.record().partition())));
            headers.add(DeadLetterHeaders.SOURCE_OFFSET, utf8(Long.toString(p.record().offset())));
            headers.add(DeadLetterHeaders.ERROR_CLASS, utf8(p.errorClass()));
            headers.add(DeadLetterHeaders.STAGE, utf8(DeadLetterHeaders.STAGE_APPLY));
            sent.add(producer.send(new ProducerRecord<>(topic, null, null, p.record().key(), p.record().value(),
                headers)));
        }
        producer.flush();
        long deadline = System.nanoTime() + SEND_TIMEOUT.toNanos();
        try {
            for (Future<RecordMetadata> f : sent) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new DeadLetterException("Cannot write poison records to dead-letter topic " + topic + " on Kafka at "
                + bootstrap + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterException("Interrupted while writing to dead-letter topic " + topic, e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
