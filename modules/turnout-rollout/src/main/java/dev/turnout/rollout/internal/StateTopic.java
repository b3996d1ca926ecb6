package dev.turnout.rollout.internal;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.core.TopicNames;
import dev.turnout.core.registry.SchemaRegistryException;
import dev.turnout.rollout.RolloutException;
import dev.turnout.rollout.RolloutException.Kind;
import dev.turnout.rollout.RolloutState;

/**
 * Reads and writes {@code turnout.rollout.state}: compacted, one partition (so every change to every rollout is in one
 * order), created on first use. Writes wait for the broker's acknowledgement. Thread-safe.
 */
public final class StateTopic implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StateTopic.class);
    public static final Map<String, String> CONFIGS = Map.of("cleanup.policy", "compact");

    private final KafkaSession session;
    private final TopicReads reads;
    private KafkaProducer<String, Object> producer;

    public StateTopic(KafkaSession session) {
        this.session = session;
        this.reads = new TopicReads(session);
    }

    public static String topic() {
        return TopicNames.rolloutState();
    }

    /** Stores {@code state} under its name; returns once the broker has it. */
    public void write(RolloutState state) {
        session.ensureTopic(topic(), CONFIGS);
        String what = "write rollout " + state.name() + " to " + topic();
        try {
            producer().send(new ProducerRecord<>(topic(), state.name(), StateCodec.toAvro(state)))
                .get(session.settings().requestTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RolloutException(Kind.FAILED, "Interrupted while trying to " + what, e);
        } catch (ExecutionException e) {
            throw session.failure(what, e.getCause());
        } catch (TimeoutException e) {
            throw session.failure(what, e);
        } catch (SerializationException e) {
            throw registryFailure(what, e);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw session.failure(what, e);
        }
    }

    /** Every rollout, by name. An absent topic holds none. Records that cannot be decoded are skipped with a warning. */
    public Map<String, RolloutState> readAll() {
        Map<String, RolloutState> states = new TreeMap<>();
        if (!session.topicExists(topic())) {
            return states;
        }
        reads.latestByKey(topic()).forEach((key, bytes) -> decode(session, key, bytes).ifPresent(s -> states.put(key, s)));
        return states;
    }

    /** One rollout, read fresh from the topic. */
    public Optional<RolloutState> read(String name) {
        return Optional.ofNullable(readAll().get(name));
    }

    /**
     * Decodes one record. Empty when the record is not a valid state (logged); throws {@link RolloutException} when the
     * registry cannot be asked, which is worth retrying rather than skipping.
     */
    public static Optional<RolloutState> decode(KafkaSession session, String key, byte[] bytes) {
        try {
            Object value = session.deserializer().deserialize(topic(), bytes);
            if (!(value instanceof dev.turnout.schemas.rollout.RolloutState avro)) {
                log.warn("Skipping a record of {} under key '{}': not a RolloutState but {}", topic(), key,
                    value == null ? "null" : value.getClass().getSimpleName());
                return Optional.empty();
            }
            return Optional.of(StateCodec.fromAvro(key, avro));
        } catch (SerializationException e) {
            if (causedByRegistry(e)) {
                throw registryFailure("decode rollout " + key + " from " + topic(), e);
            }
            log.warn("Skipping a record of {} under key '{}' that cannot be decoded: {}", topic(), key, e.getMessage());
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            log.warn("Skipping a record of {} under key '{}' that is not a valid rollout state: {}", topic(), key,
                e.getMessage());
            return Optional.empty();
        }
    }

    /** Whether the registry could not be reached or failed on its side (worth retrying), not a bad record. */
    static boolean causedByRegistry(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException r) {
                return r.status() == 0 || r.status() >= 500;
            }
        }
        return false;
    }

    static RolloutException registryFailure(String what, SerializationException e) {
        return new RolloutException(causedByRegistry(e) ? Kind.UNREACHABLE : Kind.FAILED,
            "Could not " + what + ": " + e.getMessage(), e);
    }

    private synchronized KafkaProducer<String, Object> producer() {
        if (producer == null) {
            producer = session.producer("state-writer");
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
