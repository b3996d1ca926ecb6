package dev.turnout.rollout.internal;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.core.TopicNames;
import dev.turnout.schemas.rollout.ShadowDiff;

/**
 * Publishes shadow discrepancies to {@code turnout.<pipeline>.shadow-diffs} (created on first use, seven days'
 * retention). Sends are asynchronous; a failure is logged (one line per distinct problem) and never reaches the caller.
 * Thread-safe.
 */
public final class DiffPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DiffPublisher.class);
    private static final Map<String, String> TOPIC_CONFIGS = Map.of("retention.ms",
        String.valueOf(Duration.ofDays(7).toMillis()));

    private final KafkaSession session;
    private final String topic;
    private KafkaProducer<String, Object> producer;
    private volatile String lastProblem;

    public DiffPublisher(KafkaSession session, String pipeline) {
        this.session = session;
        this.topic = TopicNames.shadowDiffs(pipeline);
    }

    public String topic() {
        return topic;
    }

    public void publish(ShadowDiff diff) {
        try {
            producer().send(new ProducerRecord<>(topic, diff.getKey(), diff), (metadata, failure) -> {
                if (failure != null) {
                    problem(failure.getMessage());
                }
            });
        } catch (RuntimeException e) {
            problem(e.getMessage());
        }
    }

    private synchronized KafkaProducer<String, Object> producer() {
        if (producer == null) {
            session.ensureTopic(topic, TOPIC_CONFIGS);
            producer = session.producer("shadow-diffs");
        }
        return producer;
    }

    private void problem(String message) {
        if (!java.util.Objects.equals(message, lastProblem)) {
            log.warn("Cannot publish a shadow discrepancy to {} on {}: {}", topic, session.settings().bootstrap(), message);
            lastProblem = message;
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
