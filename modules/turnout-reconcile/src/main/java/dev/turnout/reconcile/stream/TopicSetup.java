package dev.turnout.reconcile.stream;

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
 * Creates the topics reconciliation reads and writes when they are absent, before Kafka Streams starts: the apply topics
 * and the target's CDC topics (alike to the transform's and capture's, so reconciliation may start first), the
 * compacted status and summary topics, and the dead-letter topic; each with the pipeline's partition count (the summary
 * topic one partition: it is small) and the broker's default replication factor. Existing topics are left as they are.
 */
final class TopicSetup {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TopicSetup() {
    }

    /**
     * @throws IllegalStateException naming the cluster and topic when a topic cannot be created
     */
    static void ensure(Map<String, Object> client, String bootstrap, int partitions, Collection<String> plain,
                              Collection<String> compacted, String summaryTopic) {
        List<NewTopic> topics = new ArrayList<>();
        plain.forEach(t -> topics.add(new NewTopic(t, partitions, (short) -1)));
        Map<String, String> compact = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        compacted.forEach(t -> topics.add(new NewTopic(t, partitions, (short) -1).configs(compact)));
        topics.add(new NewTopic(summaryTopic, 1, (short) -1).configs(compact));
        Admin admin = Admin.create(client);
        try {
            TopicsIfAbsent.create(admin, topics, TIMEOUT, bootstrap, "reconciliation");
        } finally {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
