package dev.turnout.core.avro;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import dev.turnout.core.registry.RegisteredSchema;
import dev.turnout.core.registry.SchemaRegistryClient;
import dev.turnout.core.registry.SchemaRegistryException;

/**
 * Kafka {@link Serializer} writing Avro in the Confluent wire format: generic records, specific (generated) records and
 * primitives. The schema is registered under the subject its {@link SubjectNameStrategy} names (or looked up, or the
 * subject's latest is used, as configured).
 *
 * <p>Thread-safe after {@link #configure}. Owns the registry client it creates from the config and closes it in
 * {@link #close()}; a client passed to the constructor stays the caller's.
 */
public class AvroSerializer extends AvroSerde implements Serializer<Object> {

    private final Map<WriterKey, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
    private boolean autoRegister;

    private record WriterKey(Schema schema, Class<?> specificClass) {
    }

    /** For Kafka's reflective construction; {@link #configure} creates the registry client. */
    public AvroSerializer() {
        super(null);
    }

    /** With a caller-owned client; {@link #configure} still reads the other settings. */
    public AvroSerializer(SchemaRegistryClient client) {
        super(client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = configureShared(configs, isKey);
        this.autoRegister = config.getBoolean(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS);
    }

    @Override
    public byte[] serialize(String topic, Object data) {
        if (data == null) {
            return null;
        }
        return serialize(topic, AvroSchemas.of(data), data);
    }

    /** Serializes {@code data} written with {@code schema} (for values whose schema is known apart from them). */
    public byte[] serialize(String topic, Schema schema, Object data) {
        Target target = target(topic, schema);
        return write(topic, target, encoder -> writer(target.schema(), data).write(AvroSchemas.writable(data), encoder));
    }

    /**
     * Serializes a body the caller encodes itself as {@code schema}, without an Avro datum. Not for serializers that
     * write with the subject's latest schema, which may differ from {@code schema} ({@link #writesWithLatestVersion}).
     */
    byte[] serialize(String topic, Schema schema, Body body) {
        if (useLatestVersion) {
            throw new IllegalStateException("A body encoded as its own schema cannot be written with the latest version");
        }
        return write(topic, target(topic, schema), body);
    }

    /** Whether values are written with the subject's latest registered schema rather than their own. */
    boolean writesWithLatestVersion() {
        return useLatestVersion;
    }

    /** Writes one value's Avro binary. */
    @FunctionalInterface
    interface Body {
        void writeTo(BinaryEncoder encoder) throws IOException;
    }

    /** The schema id to frame with and the schema to write with. */
    private record Target(int id, Schema schema) {
    }

    private Target target(String topic, Schema schema) {
        requireConfigured();
        String subject = strategy.subject(topic, isKey, schema);
        try {
            if (useLatestVersion) {
                RegisteredSchema latest = client.latest(subject);
                return new Target(latest.id(), latest.schema());
            } else if (autoRegister) {
                return new Target(client.register(subject, schema), schema);
            } else {
                int id = client.lookup(subject, schema).orElseThrow(() -> new SerializationException("The schema of a "
                    + part() + " for topic " + topic + " is not registered under subject " + subject
                    + " and " + AvroSerdeConfig.AUTO_REGISTER_SCHEMAS + " is false")).id();
                return new Target(id, schema);
            }
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Could not get a schema id for a " + part()
                + " for topic " + topic + " (subject " + subject + "): " + e.getMessage(), e);
        }
    }

    private byte[] write(String topic, Target target, Body body) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(64);
            out.write(WireFormat.header(target.id()));
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            body.writeTo(encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Could not write a " + part() + " for topic " + topic
                + " as Avro with schema id " + target.id() + " (" + target.schema().getFullName() + "): "
                + e.getMessage(), e);
        }
    }

    private DatumWriter<Object> writer(Schema schema, Object data) {
        Class<?> specific = data instanceof SpecificRecord ? data.getClass() : null;
        return writers.computeIfAbsent(new WriterKey(schema, specific), key -> key.specificClass() != null
            ? new SpecificDatumWriter<>(schema, SpecificData.getForClass(key.specificClass()))
            : new GenericDatumWriter<>(schema, GenericData.get()));
    }

    @Override
    public void close() {
        super.close();
    }
}
