package dev.turnout.core.avro;

import java.util.HashMap;
import java.util.Map;

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

    private final SchemaRegistryClient sharedClient;
    private AvroSerializer serializer;
    private AvroDeserializer deserializer;
    private AvroData avroData;

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
        avroData = new AvroData(new AvroDataConfig(configs));
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        if (schema == null && value == null) {
            return null;
        }
        try {
            org.apache.avro.Schema avroSchema = avroData.fromConnectSchema(schema);
            Object avroValue = avroData.fromConnectData(schema, value);
            return avroValue == null ? null : serializer.serialize(topic, avroSchema, avroValue);
        } catch (SerializationException | DataException e) {
            throw new DataException("Cannot convert a record for topic " + topic + " to Avro: " + e.getMessage(), e);
        }
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
