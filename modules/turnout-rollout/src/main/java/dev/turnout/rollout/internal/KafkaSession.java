package dev.turnout.rollout.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.turnout.core.avro.AvroDeserializer;
import dev.turnout.core.avro.AvroSerdeConfig;
import dev.turnout.core.avro.AvroSerializer;
import dev.turnout.core.registry.RegistryClientConfig;
import dev.turnout.rollout.RolloutException;
import dev.turnout.rollout.RolloutException.Kind;
import dev.turnout.rollout.RolloutSettings;

/**
 * The Kafka and registry clients of one rollout component: a lazily created admin client, consumers and producers made
 * to order, and one Avro serializer and deserializer (Confluent wire format, through the registry). Every request is
 * bounded by {@link RolloutSettings#requestTimeout()}, and a failure becomes a {@link RolloutException} naming the
 * cluster. Thread-safe; {@link #close()} closes what it created.
 */
public final class KafkaSession implements AutoCloseable {

    /** Packages whose generated classes the deserializer may instantiate. */
    private static final String TRUSTED = "dev.turnout.schemas.rollout,dev.turnout.schemas.reconcile";
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final RolloutSettings settings;
    private final String clientId;
    private final AvroSerializer serializer;
    private final AvroDeserializer deserializer;
    private final AtomicInteger clients = new AtomicInteger();
    private Admin admin;

    public KafkaSession(RolloutSettings settings, String purpose) {
        this.settings = settings;
        this.clientId = "turnout-rollout-" + purpose + "-" + INSTANCES.incrementAndGet();
        Map<String, Object> serde = new HashMap<>(settings.registryProperties());
        serde.put(RegistryClientConfig.URL, settings.schemaRegistryUrl());
        serde.putIfAbsent(RegistryClientConfig.REQUEST_TIMEOUT_MS, (int) settings.requestTimeout().toMillis());
        this.serializer = new AvroSerializer();
        serializer.configure(serde, false);
        serde.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        serde.put(AvroSerdeConfig.SPECIFIC_AVRO_TRUSTED_PACKAGES, TRUSTED);
        this.deserializer = new AvroDeserializer();
        deserializer.configure(serde, false);
    }

    public RolloutSettings settings() {
        return settings;
    }

    /** The Avro value serializer (auto-registers schemas under {@code <topic>-value}). */
    public AvroSerializer serializer() {
        return serializer;
    }

    /** The Avro value deserializer, reading generated classes of Turnout's schemas. */
    public AvroDeserializer deserializer() {
        return deserializer;
    }

    public synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> config = common("admin");
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) settings.requestTimeout().toMillis());
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) settings.requestTimeout().toMillis());
            admin = Admin.create(config);
        }
        return admin;
    }

    /** A consumer without group (assign only), reading committed records from the start, keys as strings. */
    public KafkaConsumer<String, byte[]> consumer(String purpose) {
        Map<String, Object> config = common(purpose);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Reading must never create a topic: an absent topic means "not applicable" to the gates.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) settings.requestTimeout().toMillis());
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) settings.requestTimeout().toMillis());
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** An idempotent producer with string keys and Avro values, bounded by the request timeout. */
    public KafkaProducer<String, Object> producer(String purpose) {
        Map<String, Object> config = common(purpose);
        long timeout = settings.requestTimeout().toMillis();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeout + 5_000));
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // The session's serializer is shared: the producer must not close it.
        AvroSerializer shared = serializer;
        return new KafkaProducer<>(config, new StringSerializer(), new org.apache.kafka.common.serialization.Serializer<>() {
            @Override
            public byte[] serialize(String topic, Object data) {
                return shared.serialize(topic, data);
            }
        });
    }

    /** Whether {@code topic} exists. */
    public boolean topicExists(String topic) {
        try {
            await(admin().describeTopics(List.of(topic)).allTopicNames(), "describe topic " + topic);
            return true;
        } catch (RolloutException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
    }

    /** Creates {@code topic} (one partition, the broker's replication) with {@code configs} unless it exists. */
    public void ensureTopic(String topic, Map<String, String> configs) {
        if (topicExists(topic)) {
            return;
        }
        NewTopic created = new NewTopic(topic, Optional.of(1), Optional.empty()).configs(configs);
        try {
            await(admin().createTopics(List.of(created)).all(), "create topic " + topic);
        } catch (RolloutException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** Waits for an admin result within the request timeout. */
    public <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RolloutException(Kind.FAILED, "Interrupted while trying to " + what, e);
        } catch (ExecutionException e) {
            throw failure(what, e.getCause());
        } catch (TimeoutException e) {
            throw failure(what, e);
        }
    }

    /** A failure to {@code what} on this cluster, as one line naming the cluster. */
    public RolloutException failure(String what, Throwable cause) {
        boolean timeout = cause instanceof TimeoutException
            || cause instanceof org.apache.kafka.common.errors.TimeoutException;
        if (timeout) {
            return new RolloutException(Kind.UNREACHABLE, "Kafka at " + settings.bootstrap() + " did not answer within "
                + settings.requestTimeout().toSeconds() + "s when trying to " + what, cause);
        }
        return new RolloutException(Kind.FAILED, "Could not " + what + " on Kafka at " + settings.bootstrap() + ": "
            + cause.getMessage(), cause);
    }

    private Map<String, Object> common(String purpose) {
        Map<String, Object> config = new HashMap<>(settings.kafkaProperties());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        // Unique per client: Kafka registers a JMX bean under each client id.
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId + "-" + purpose + "-" + clients.incrementAndGet());
        return config;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(5));
        }
        serializer.close();
        deserializer.close();
    }
}
