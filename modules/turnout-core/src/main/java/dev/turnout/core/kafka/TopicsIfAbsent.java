package dev.turnout.core.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates Turnout's topics when they are absent, waiting for the broker's answer. An existing topic is left as it is
 * (whatever its partitions or configs); any other failure names the topic, the cluster and who was creating it.
 */
public final class TopicsIfAbsent {

    private TopicsIfAbsent() {
    }

    /**
     * @param where   the cluster, for messages (its bootstrap string)
     * @param creator what creates the topics, for messages ("the transform", "capture")
     * @throws IllegalStateException naming the topic and cluster when one cannot be created in time
     */
    public static void create(Admin admin, Collection<NewTopic> topics, Duration timeout, String where, String creator) {
        CreateTopicsResult result = admin.createTopics(topics);
        for (NewTopic topic : topics) {
            try {
                result.values().get(topic.name()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Could not create topic " + topic.name() + " on " + where + ": "
                        + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka at " + where + " did not answer within " + timeout.toSeconds()
                    + " s while " + creator + " created topic " + topic.name(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while creating topic " + topic.name(), e);
            }
        }
    }
}
