package dev.turnout.core.registry.embedded;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the registry topic when it is missing: one partition, compacted, replicated to min(3, brokers).
 *
 * <p>Runs once, on the thread starting the registry, with the registry's admin client. An existing topic is used as it is
 * (another instance may have just created it); a setting that would lose schemas, such as a delete cleanup policy, is
 * reported rather than changed, because the topic may be shared and is the operator's to alter. That inspection is
 * best-effort: a topic too new to be described yet is not reported on.
 */
final class RegistryTopic {

    private static final Logger log = LoggerFactory.getLogger(RegistryTopic.class);

    private RegistryTopic() {
    }

    static void ensure(Admin admin, String topic, Duration timeout) {
        try {
            int brokers = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            short replicas = (short) Math.max(1, Math.min(3, brokers));
            NewTopic newTopic = new NewTopic(topic, 1, replicas)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            try {
                admin.createTopics(List.of(newTopic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                log.info("Schema registry: created topic {} (1 partition, {} replicas, compacted)", topic, replicas);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            warnIfUnsuitable(admin, topic, timeout);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Schema registry: could not create or inspect topic " + topic + ": "
                + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Schema registry: Kafka did not answer within " + timeout.toSeconds()
                + " s while creating topic " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Schema registry: interrupted while creating topic " + topic, e);
        }
    }

    private static void warnIfUnsuitable(Admin admin, String topic, Duration timeout) throws InterruptedException {
        try {
            inspect(admin, topic, timeout);
        } catch (ExecutionException | TimeoutException e) {
            // A topic created a moment ago (by us or another instance) may not have reached every broker's metadata yet,
            // and describing it then fails; the check is advice only, and the clients themselves wait for the metadata.
            log.debug("Schema registry: could not inspect topic {} yet: {}", topic, e.toString());
        }
    }

    private static void inspect(Admin admin, String topic, Duration timeout)
        throws ExecutionException, TimeoutException, InterruptedException {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
        if (description.partitions().size() != 1) {
            log.warn("Schema registry: topic {} has {} partitions; only partition 0 is used", topic,
                description.partitions().size());
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .get(resource);
        String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        if (!TopicConfig.CLEANUP_POLICY_COMPACT.equals(policy)) {
            log.warn("Schema registry: topic {} has cleanup.policy={}; schemas may be deleted by retention, set it to"
                + " compact", topic, policy);
        }
    }
}
