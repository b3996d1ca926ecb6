package dev.turnout.cutover;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How to reach one Kafka-protocol cluster (Kafka or Redpanda): the name operators use for it, its bootstrap servers and
 * the client properties (SASL, TLS) every client Turnout creates for it receives.
 *
 * <p>Properties under {@code schema.registry.} and {@code basic.auth.} configure the cluster's schema registry (used to
 * compare Confluent-framed values by schema content, not by registry id) and are never passed to Kafka clients.
 * Immutable; {@link #toString()} never shows property values, which may be secrets.
 *
 * @param name       the cluster's name in {@code turnout.yaml}, or the bootstrap string when it was given directly
 * @param bootstrap  {@code host:port[,host:port...]}
 * @param properties client properties
 */
public record ClusterConnection(String name, String bootstrap, Map<String, String> properties) {

    private static final String REGISTRY_PREFIX = "schema.registry.";
    private static final String BASIC_AUTH_PREFIX = "basic.auth.";

    public ClusterConnection {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bootstrap, "bootstrap");
        if (bootstrap.isBlank()) {
            throw new IllegalArgumentException("cluster '" + name + "' has an empty bootstrap");
        }
        properties = Map.copyOf(properties == null ? Map.of() : properties);
    }

    /** A cluster given by its bootstrap string only, without client properties. */
    public static ClusterConnection ofBootstrap(String bootstrap) {
        return new ClusterConnection(bootstrap, bootstrap, Map.of());
    }

    /** Properties for Kafka clients: the cluster's properties without registry settings, plus bootstrap. */
    public Map<String, Object> kafkaProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        new TreeMap<>(properties).forEach((k, v) -> {
            if (!k.startsWith(REGISTRY_PREFIX) && !k.startsWith(BASIC_AUTH_PREFIX)) {
                props.put(k, v);
            }
        });
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return props;
    }

    /** Settings of the cluster's schema registry, when {@code schema.registry.url} is among the properties. */
    public Optional<Map<String, String>> registryProperties() {
        if (!properties.containsKey(REGISTRY_PREFIX + "url")) {
            return Optional.empty();
        }
        Map<String, String> props = new LinkedHashMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith(REGISTRY_PREFIX) || k.startsWith(BASIC_AUTH_PREFIX)) {
                props.put(k, v);
            }
        });
        return Optional.of(props);
    }

    /** How messages name this cluster: {@code cluster 'redpanda' at 127.0.0.1:19092}. */
    @Override
    public String toString() {
        return name.equals(bootstrap) ? "cluster at " + bootstrap : "cluster '" + name + "' at " + bootstrap;
    }
}
