package dev.turnout.transform.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import dev.turnout.core.kafka.TopicsIfAbsent;

/**
 * Creates the topics the transform reads and writes when they are absent, before Kafka Streams starts: the CDC topics
 * (alike to capture's, so the transform may start first), the compacted apply topics and the dead-letter topic, each
 * with the pipeline's partition count and the broker's default replication factor. Existing topics are left as they
 * are. Stateless; borrows nothing.
 */
final class TopicSetup {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TopicSetup() {
    }

    static void ensure(Map<String, Object> clientProperties, String bootstrap, int partitions,
                       Collection<String> cdcTopics, Collection<String> applyTopics, String deadLetterTopic) {
        List<NewTopic> topics = new ArrayList<>();
        cdcTopics.forEach(t -> topics.add(new NewTopic(t, partitions, (short) -1)));
        applyTopics.forEach(t -> topics.add(new NewTopic(t, partitions, (short) -1)
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        topics.add(new NewTopic(deadLetterTopic, partitions, (short) -1));
        Admin admin = Admin.create(clientProperties);
        try {
            TopicsIfAbsent.create(admin, topics, TIMEOUT, bootstrap, "the transform");
        } finally {
            // Without a bound, closing waits for requests still pending against an unreachable cluster.
            admin.close(Duration.ofSeconds(5));
        }
    }
}
