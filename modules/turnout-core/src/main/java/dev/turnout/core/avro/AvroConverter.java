package dev.turnout.core.avro;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;

import dev.turnout.core.registry.SchemaRegistryClient;
import io.apicurio.registry.utils.converter.avro.AvroData;
import io.apicurio.registry.utils.converter.avro.AvroDataConfig;

/**
 * Kafka Connect {@link Converter} between Connect data (what Debezium produces) and Avro in the Confluent wire format.
 * Configure it on a Connect worker or Debezium engine as {@code key.converter} / {@code value.converter} with the same
 * properties as {@link AvroSerializer} ({@code schema.registry.url}, ...).
 *
 * <p>Connect schemas map to Avro by Apicurio's {@code AvroData} (a fork of Confluent's, Apache-2.0), so semantic types
 * keep their names and parameters: Debezium's {@code io.debezium.time.*}, {@code VariableScaleDecimal}, {@code Json},
 * {@code Uuid}, {@code Enum} (with its allowed values) and Connect's {@code Decimal} round-trip exactly.
 *
 * <p>Thread-safe after {@link #configure}, as Connect requires.
 */
public class AvroConverter implements Converter {

    /** Beyond this many distinct Connect schema instances the identity cache starts over (schemas evolve; rarely). */
    private static final int MAX_CACHED_SCHEMAS = 1_000;

    private final SchemaRegistryClient sharedClient;
    /**
     * Avro schemas, and direct writers, by Connect schema instance. Debezium hands the same instance for every record
     * of a table until the table changes; AvroData's own cache hashes and compares the whole schema tree on every
     * lookup, which a profile of capture showed on every record (turnout-bench).
     */
    private final Map<Identity, Conversion> conversions = new ConcurrentHashMap<>();
    private AvroSerializer serializer;
    private AvroDeserializer deserializer;
    private ConnectAvroData avroData;

    public AvroConverter() {
        this(null);
    }

    /** With a caller-owned registry client. */
    public AvroConverter(SchemaRegistryClient client) {
        this.sharedClient = client;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer = sharedClient == null ? new AvroSerializer() : new AvroSerializer(sharedClient);
        deserializer = sharedClient == null ? new AvroDeserializer() : new AvroDeserializer(sharedClient);
        Map<String, Object> serdeConfigs = new HashMap<>(configs);
        // Connect data is generic; a specific reader would hand AvroData classes it cannot convert.
        serdeConfigs.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, false);
        serializer.configure(serdeConfigs, isKey);
        deserializer.configure(serdeConfigs, isKey);
        avroData = new ConnectAvroData(new AvroDataConfig(configs));
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        if (schema == null && value == null) {
            return null;
        }
        try {
            Conversion conversion = conversion(schema);
            if (conversion.direct().isPresent() && value != null) {
                ConnectAvroWriter direct = conversion.direct().get();
                return serializer.serialize(topic, conversion.avro(), encoder -> direct.write(value, encoder));
            }
            Object avroValue = avroData.convert(schema, conversion.avro(), value);
            return avroValue == null ? null : serializer.serialize(topic, conversion.avro(), avroValue);
        } catch (SerializationException | DataException e) {
            throw new DataException("Cannot convert a record for topic " + topic + " to Avro: " + e.getMessage(), e);
        }
    }

    private Conversion conversion(Schema schema) {
        if (schema == null) {
            return new Conversion(avroData.fromConnectSchema(null), Optional.empty());
        }
        Identity key = new Identity(schema);
        Conversion cached = conversions.get(key);
        if (cached == null) {
            if (conversions.size() >= MAX_CACHED_SCHEMAS) {
                conversions.clear();
            }
            org.apache.avro.Schema avro = avroData.fromConnectSchema(schema);
            cached = new Conversion(avro, serializer.writesWithLatestVersion() ? Optional.empty()
                : ConnectAvroWriter.of(schema, avro));
            conversions.put(key, cached);
        }
        return cached;
    }

    /** A Connect schema's Avro schema, and the writer that encodes its values directly when the pair allows it. */
    private record Conversion(org.apache.avro.Schema avro, Optional<ConnectAvroWriter> direct) {
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        if (value == null) {
            return SchemaAndValue.NULL;
        }
        try {
            AvroDeserializer.Decoded decoded = deserializer.decode(topic, value);
            return avroData.toConnectData(decoded.writerSchema(), decoded.value());
        } catch (SerializationException | DataException e) {
            throw new DataException("Cannot convert a record from topic " + topic + " to Connect data: "
                + e.getMessage(), e);
        }
    }

    /** A Connect schema compared by instance. */
    private record Identity(Schema schema) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity other && other.schema == schema;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(schema);
        }
    }

    /** AvroData with its conversion for an already known Avro schema opened up (it is protected). */
    private static final class ConnectAvroData extends AvroData {
        ConnectAvroData(AvroDataConfig config) {
            super(config);
        }

        Object convert(Schema schema, org.apache.avro.Schema avroSchema, Object value) {
            return fromConnectData(schema, avroSchema, value);
        }
    }

    @Override
    public ConfigDef config() {
        return AvroSerdeConfig.CONFIG;
    }

    @Override
    public void close() {
        if (serializer != null) {
            serializer.close();
        }
        if (deserializer != null) {
            deserializer.close();
        }
    }
}
