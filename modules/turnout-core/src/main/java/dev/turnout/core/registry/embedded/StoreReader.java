package dev.turnout.core.registry.embedded;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails the registry topic and applies every record, in log order, to the {@link RegistryState}.
 *
 * <p>Threads: owns one daemon thread and the only consumer it uses; nobody else touches either. After each poll it
 * publishes the consumer's position to {@link AppliedOffset}, which is how writers learn that their record, and
 * everything before it, is in the state. On restart a new instance reads from the beginning, so the state is rebuilt
 * from the log alone. A malformed record is logged and skipped. Retriable errors (a broker away for longer than the
 * client's own retries) are logged and the reader keeps polling; a fatal consumer error (authorisation, say) stops the
 * reader and releases every waiter with that cause, after which writes fail while reads serve the state as it was.
 */
final class StoreReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StoreReader.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration JOIN = Duration.ofSeconds(10);

    private final Consumer<String, String> consumer;
    private final TopicPartition partition;
    private final RegistryState state;
    private final AppliedOffset applied;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean started;

    StoreReader(Map<String, Object> consumerConfig, String topic, RegistryState state, AppliedOffset applied) {
        this.consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer());
        this.partition = new TopicPartition(topic, 0);
        this.state = state;
        this.applied = applied;
        this.thread = new Thread(this::run, "turnout-registry-reader-" + topic);
        this.thread.setDaemon(true);
    }

    void start() {
        started = true;
        thread.start();
    }

    private void run() {
        String stopReason = "the registry is closed";
        try {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            while (running) {
                try {
                    for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                        apply(record);
                    }
                    applied.advanceTo(consumer.position(partition));
                } catch (RetriableException e) {
                    // For example the topic's metadata not yet on this broker, or the broker down longer than the
                    // client's own retries; the next poll tries again.
                    log.warn("Schema registry reader of {}: {}; retrying", partition, e.getMessage());
                }
            }
        } catch (WakeupException e) {
            // close() woke us; running is false.
        } catch (RuntimeException e) {
            stopReason = e.getClass().getSimpleName() + ": " + e.getMessage();
            log.error("Schema registry reader of {} stopped; registrations will fail until restart: {}", partition,
                stopReason);
            log.debug("Schema registry reader failure", e);
        } finally {
            applied.stop(stopReason);
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
    }

    private void apply(ConsumerRecord<String, String> record) {
        if (record.key() == null) {
            log.warn("Schema registry: skipped record without key at {}@{}", partition, record.offset());
            return;
        }
        try {
            state.apply(record.key(), record.value());
        } catch (IllegalArgumentException e) {
            log.warn("Schema registry: skipped malformed record at {}@{}: {}", partition, record.offset(),
                e.getMessage());
        }
    }

    /** Stops the thread and closes the consumer; waits briefly for both. */
    @Override
    public void close() {
        running = false;
        if (!started) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            return;
        }
        consumer.wakeup();
        try {
            thread.join(JOIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
