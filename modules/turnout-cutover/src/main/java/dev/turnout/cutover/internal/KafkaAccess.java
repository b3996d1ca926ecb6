package dev.turnout.cutover.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.turnout.cutover.ClusterConnection;
import dev.turnout.cutover.CutoverException;
import dev.turnout.cutover.CutoverException.Kind;

/**
 * Clients for one cluster, with every failure turned into a {@link CutoverException} that names the cluster and its
 * bootstrap. Owns one admin client, created on first use and closed by {@link #close()}; consumers and producers it
 * creates belong to the caller. Admin calls are batched by the callers (one request per kind for all partitions) and each
 * waits at most the configured timeout.
 *
 * <p>Threads: the admin client is thread-safe; this class adds no state beyond it and the cached cluster id.
 */
public final class KafkaAccess implements AutoCloseable {

    private final ClusterConnection cluster;
    private final Duration timeout;
    private Admin admin;
    private String clusterId;

    public KafkaAccess(ClusterConnection cluster, Duration timeout) {
        this.cluster = cluster;
        this.timeout = timeout;
    }

    public ClusterConnection cluster() {
        return cluster;
    }

    public Duration timeout() {
        return timeout;
    }

    public synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> props = new HashMap<>(cluster.kafkaProperties());
            int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
            props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(ms, 30_000));
            props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "turnout-admin");
            admin = Admin.create(props);
        }
        return admin;
    }

    /** The cluster's id; the first call also proves the cluster is reachable. */
    public synchronized String clusterId() {
        if (clusterId == null) {
            clusterId = call("describe the cluster", admin().describeCluster().clusterId());
        }
        return clusterId;
    }

    /** A read_committed (or read_uncommitted) byte consumer without a group; the caller closes it. */
    public KafkaConsumer<byte[], byte[]> consumer(boolean readCommitted) {
        Map<String, Object> props = new HashMap<>(cluster.kafkaProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            (readCommitted ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED).toString());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "turnout-reader");
        props.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** An idempotent byte producer (acks=all, ordered per partition); the caller closes it. */
    public KafkaProducer<byte[], byte[]> producer(String clientId, Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>(cluster.kafkaProperties());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.putAll(overrides);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Waits for an admin result, turning failures into a {@link CutoverException} naming this cluster. */
    public <T> T call(String what, KafkaFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CutoverException(Kind.FAILED, "Interrupted while trying to " + what + " on " + cluster, e);
        } catch (ExecutionException e) {
            throw failure(what, e.getCause());
        } catch (TimeoutException e) {
            throw failure(what, e);
        }
    }

    /** The exception for a failed request: UNREACHABLE for timeouts and network errors, FAILED otherwise. */
    public CutoverException failure(String what, Throwable cause) {
        if (cause instanceof CutoverException ce) {
            return ce;
        }
        boolean unreachable = cause instanceof TimeoutException
            || cause instanceof org.apache.kafka.common.errors.TimeoutException
            || (cause instanceof RetriableException && !(cause instanceof UnknownTopicOrPartitionException));
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (unreachable) {
            return new CutoverException(Kind.UNREACHABLE, cluster + " is unreachable (could not " + what + " within "
                + timeout.toSeconds() + " s): " + detail, cause);
        }
        return new CutoverException(Kind.FAILED, "Could not " + what + " on " + cluster + ": " + detail, cause);
    }

    // ---- batched metadata ----

    /** Partition counts of the given topics; absent topics are left out. */
    public Map<String, Integer> partitionCounts(Collection<String> topics) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (topics.isEmpty()) {
            return counts;
        }
        Map<String, KafkaFuture<TopicDescription>> futures = admin().describeTopics(topics).topicNameValues();
        futures.forEach((topic, f) -> {
            try {
                counts.put(topic, f.get(timeout.toMillis(), TimeUnit.MILLISECONDS).partitions().size());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw failure("describe topic " + topic, e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CutoverException(Kind.FAILED, "Interrupted while describing topics on " + cluster, e);
            } catch (TimeoutException e) {
                throw failure("describe topic " + topic, e);
            }
        });
        return counts;
    }

    /** All topic names (internal ones excluded). */
    public Set<String> topicNames() {
        return call("list topics", admin().listTopics().names());
    }

    /** Effective configs of topics. */
    public Map<String, Config> topicConfigs(Collection<String> topics) {
        if (topics.isEmpty()) {
            return Map.of();
        }
        List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs = call("describe topic configs", admin().describeConfigs(resources).all());
        Map<String, Config> byTopic = new LinkedHashMap<>();
        configs.forEach((r, c) -> byTopic.put(r.name(), c));
        return byTopic;
    }

    /** Whether a topic's cleanup policy includes compaction. */
    public boolean isCompacted(Config config) {
        var entry = config.get("cleanup.policy");
        return entry != null && entry.value() != null && entry.value().contains("compact");
    }

    /** Log start offsets, batched. */
    public Map<TopicPartition, Long> earliest(Collection<TopicPartition> partitions) {
        return listOffsets(partitions, OffsetSpec.earliest(), "list log start offsets");
    }

    /** Last stable offsets (the read_committed end), batched. */
    public Map<TopicPartition, Long> lastStable(Collection<TopicPartition> partitions) {
        return listOffsets(partitions, OffsetSpec.latest(), "list end offsets");
    }

    /** For each partition, the earliest offset whose timestamp is at least the given one, or -1 when there is none. */
    public Map<TopicPartition, Long> offsetsForTimes(Map<TopicPartition, Long> timestamps) {
        Map<TopicPartition, OffsetSpec> specs = new LinkedHashMap<>();
        timestamps.forEach((tp, ts) -> specs.put(tp, OffsetSpec.forTimestamp(ts)));
        return listOffsets(specs, "look up offsets by timestamp");
    }

    private Map<TopicPartition, Long> listOffsets(Collection<TopicPartition> partitions, OffsetSpec spec, String what) {
        Map<TopicPartition, OffsetSpec> specs = new LinkedHashMap<>();
        partitions.forEach(tp -> specs.put(tp, spec));
        return listOffsets(specs, what);
    }

    private Map<TopicPartition, Long> listOffsets(Map<TopicPartition, OffsetSpec> specs, String what) {
        Map<TopicPartition, Long> result = new HashMap<>();
        if (specs.isEmpty()) {
            return result;
        }
        var all = call(what, admin().listOffsets(specs, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all());
        all.forEach((tp, info) -> result.put(tp, info.offset()));
        return result;
    }

    // ---- groups ----

    /** The group's committed offsets; empty when it has none. */
    public Map<TopicPartition, OffsetAndMetadata> committedOffsets(String group) {
        Map<TopicPartition, OffsetAndMetadata> raw = call("read committed offsets of group " + group,
            admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        raw.forEach((tp, om) -> {
            if (om != null && om.offset() >= 0) {
                offsets.put(tp, om);
            }
        });
        return offsets;
    }

    /** The group's state and its member count; an unknown group is DEAD with no members. */
    public GroupStatus groupStatus(String group) {
        try {
            ConsumerGroupDescription d = admin().describeConsumerGroups(List.of(group)).describedGroups().get(group)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            GroupState state = Optional.ofNullable(d.groupState()).orElse(GroupState.UNKNOWN);
            return new GroupStatus(group, state, d.members().size());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return new GroupStatus(group, GroupState.DEAD, 0);
            }
            throw failure("describe group " + group, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CutoverException(Kind.FAILED, "Interrupted while describing group " + group + " on " + cluster, e);
        } catch (TimeoutException e) {
            throw failure("describe group " + group, e);
        }
    }

    /** A group's state and how many members it has. */
    public record GroupStatus(String group, GroupState state, int members) {
        /** Whether consumers are connected: offsets must not be moved under them. */
        public boolean isActive() {
            return members > 0 || !(state == GroupState.EMPTY || state == GroupState.DEAD || state == GroupState.UNKNOWN);
        }
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
