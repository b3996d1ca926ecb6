package dev.turnout.reconcile.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import dev.turnout.core.avro.AvroDeserializer;
import dev.turnout.core.avro.AvroSerdeConfig;
import dev.turnout.core.avro.AvroSerializer;
import dev.turnout.core.registry.SchemaRegistryClient;

/**
 * Kafka serdes of Turnout's generated Avro classes (apply and reconcile schemas), in the Confluent wire format through
 * one registry client, which stays the caller's. Closes the serializers and deserializers it made. Thread-safe.
 */
final class AvroSerdes implements AutoCloseable {

    private static final String TRUSTED = "dev.turnout.schemas.apply,dev.turnout.schemas.reconcile";

    private final SchemaRegistryClient registry;
    private final Map<String, Object> config;
    private final List<AutoCloseable> made = new ArrayList<>();

    AvroSerdes(SchemaRegistryClient registry, String registryUrl) {
        this.registry = registry;
        this.config = Map.of(AvroSerdeConfig.URL, registryUrl, AvroSerdeConfig.SPECIFIC_AVRO_READER, true,
            AvroSerdeConfig.SPECIFIC_AVRO_TRUSTED_PACKAGES, TRUSTED);
    }

    /** A serde of generated class {@code T} for keys or values. */
    @SuppressWarnings("unchecked")
    synchronized <T> Serde<T> of(Class<T> type, boolean isKey) {
        return Serdes.serdeFrom((Serializer<T>) serializer(isKey), (Deserializer<T>) deserializer(isKey));
    }

    synchronized AvroSerializer serializer(boolean isKey) {
        AvroSerializer s = new AvroSerializer(registry);
        s.configure(config, isKey);
        made.add(s);
        return s;
    }

    synchronized AvroDeserializer deserializer(boolean isKey) {
        AvroDeserializer d = new AvroDeserializer(registry);
        d.configure(config, isKey);
        made.add(d);
        return d;
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable c : made) {
            try {
                c.close();
            } catch (Exception e) {
                // Closing a serde releases nothing shared: the registry client is the caller's.
            }
        }
        made.clear();
    }
}
