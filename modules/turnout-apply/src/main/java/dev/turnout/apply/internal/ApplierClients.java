package dev.turnout.apply.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.turnout.apply.ApplierSettings;
import dev.turnout.core.avro.AvroSerdeConfig;
import dev.turnout.core.registry.RegistryClientConfig;

/** The settings of the clients an applier creates: its consumer, dead-letter producer, admin, serdes and pool. */
public final class ApplierClients {

    private ApplierClients() {
    }

    /** The apply topics' consumer: read_committed, the pipeline's apply group, no auto commit. */
    public static Map<String, Object> consumer(ApplierSettings settings, String clientId) {
        Map<String, Object> config = common(settings);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            (int) Math.min(Integer.MAX_VALUE, (long) settings.batchSize() * settings.parallelism()));
        return config;
    }

    /** The dead-letter producer: idempotent, every replica acknowledges. */
    public static Map<String, Object> deadLetterProducer(ApplierSettings settings, String clientId) {
        Map<String, Object> config = common(settings);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return config;
    }

    public static Map<String, Object> admin(ApplierSettings settings, String clientId) {
        Map<String, Object> config = common(settings);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    /** Apply records are read into the generated classes of the apply-topic contract. */
    public static Map<String, Object> serde(ApplierSettings settings) {
        return Map.of(RegistryClientConfig.URL, settings.registryUrl(),
            AvroSerdeConfig.SPECIFIC_AVRO_READER, true,
            AvroSerdeConfig.SPECIFIC_AVRO_TRUSTED_PACKAGES, "dev.turnout.schemas.apply");
    }

    /** One connection per worker and one for the poll thread and tombstone cleanup. */
    public static HikariDataSource pool(ApplierSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("turnout-apply-" + settings.pipeline());
        config.setJdbcUrl(settings.targetUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password().reveal());
        config.setMaximumPoolSize(settings.parallelism() + 1);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        // StartupChecks tests reachability with a message naming the database; the pool itself starts empty.
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    private static Map<String, Object> common(ApplierSettings settings) {
        Map<String, Object> config = new HashMap<>(settings.kafkaProperties());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        return config;
    }
}
