package dev.turnout.capture.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics capture writes to before the first write, with the configured partition count, so capture works on
 * clusters with {@code auto.create.topics.enable=false} and partition counts never depend on a broker default.
 * Thread-safe; remembers what it has checked.
 */
public final class TopicCreator implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Admin admin;
    private final int partitions;
    private final Set<String> singlePartition;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    /**
     * @param singlePartition topics that must have one partition (transaction metadata and heartbeats, whose order is
     *                        global)
     */
    public TopicCreator(Map<String, Object> clientProperties, int partitions, Set<String> singlePartition) {
        this.admin = Admin.create(clientProperties);
        this.partitions = partitions;
        this.singlePartition = Set.copyOf(singlePartition);
    }

    public void ensure(String topic) {
        if (known.contains(topic)) {
            return;
        }
        int count = singlePartition.contains(topic) ? 1 : partitions;
        createIfAbsent(admin, new NewTopic(topic, count, (short) -1), "topic " + topic);
        known.add(topic);
    }

    /**
     * Creates a topic unless it exists, waiting for the answer; failures name {@code description} (what and where).
     * The replication factor of {@code topic} may be -1 for the broker's default.
     */
    static void createIfAbsent(Admin admin, NewTopic topic, String description) {
        try {
            admin.createTopics(List.of(topic)).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create " + description + ": " + e.getCause().getMessage(),
                    e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating " + description, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + TIMEOUT.toSeconds()
                + " s while creating " + description, e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
