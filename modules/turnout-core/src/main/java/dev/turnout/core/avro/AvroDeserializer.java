package dev.turnout.core.avro;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.Utf8;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import dev.turnout.core.registry.SchemaRegistryClient;
import dev.turnout.core.registry.SchemaRegistryException;

/**
 * Kafka {@link Deserializer} for Avro in the Confluent wire format. Returns a {@code GenericRecord} (or a primitive),
 * or the generated {@code SpecificRecord} class when {@code specific.avro.reader} is set. With {@code use.latest.version}
 * the subject's latest schema is the reader schema, so records written with older compatible schemas read in the newest
 * shape.
 *
 * <p>Errors name the topic; Kafka's consumer adds the partition and offset ({@code RecordDeserializationException}).
 * Thread-safe after {@link #configure}. Owns the registry client it creates from the config.
 */
public class AvroDeserializer extends AvroSerde implements Deserializer<Object> {

    private final Map<ReaderKey, DatumReader<Object>> readers = new ConcurrentHashMap<>();
    private boolean specific;

    private record ReaderKey(Schema writer, Schema reader, boolean specific) {
    }

    /** A decoded record: the schema id it carried, the writer schema, and the value. */
    public record Decoded(int schemaId, Schema writerSchema, Object value) {
    }

    public AvroDeserializer() {
        super(null);
    }

    /** With a caller-owned client. */
    public AvroDeserializer(SchemaRegistryClient client) {
        super(client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = configureShared(configs, isKey);
        this.specific = config.getBoolean(AvroSerdeConfig.SPECIFIC_AVRO_READER);
        if (specific) {
            trust(config.getList(AvroSerdeConfig.SPECIFIC_AVRO_TRUSTED_PACKAGES));
        }
    }

    /**
     * Adds packages to Avro's process-wide class trust. Additive and opt-in: only packages the user named, so schema
     * names from a topic cannot make the reader instantiate arbitrary classes.
     */
    private static synchronized void trust(java.util.List<String> packages) {
        if (packages.isEmpty()) {
            return;
        }
        java.util.Set<String> trusted = java.util.Set.copyOf(packages);
        ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
            cls -> trusted.contains(cls.getPackageName())));
    }

    @Override
    public Object deserialize(String topic, byte[] data) {
        return data == null ? null : decode(topic, data).value();
    }

    /** Decodes a framed record, keeping its schema id and writer schema. */
    public Decoded decode(String topic, byte[] data) {
        requireConfigured();
        WireFormat.Frame frame = WireFormat.read(data, topic);
        Schema writer;
        try {
            writer = client.schemaById(frame.schemaId());
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Cannot decode a " + part() + " from topic " + topic + ": schema id "
                + frame.schemaId() + " is not known to the registry (" + e.getMessage() + ")", e);
        }
        Schema reader = readerSchema(topic, writer);
        ByteBuffer body = frame.body();
        BinaryDecoder decoder = DecoderFactory.get()
            .binaryDecoder(body.array(), body.arrayOffset() + body.position(), body.remaining(), null);
        Object value;
        try {
            value = datumReader(writer, reader).read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot decode a " + part() + " from topic " + topic + " with schema id "
                + frame.schemaId() + " (" + writer.getFullName() + "): the Avro body is truncated or corrupt ("
                + e + ")", e);
        }
        return new Decoded(frame.schemaId(), writer, value instanceof Utf8 ? value.toString() : value);
    }

    private Schema readerSchema(String topic, Schema writer) {
        if (specific && writer.getType() == Schema.Type.RECORD) {
            Class<?> generated;
            try {
                generated = SpecificData.get().getClass(writer);
            } catch (SecurityException e) {
                throw new SerializationException("specific.avro.reader: Avro does not trust class " + writer.getFullName()
                    + " (record from topic " + topic + "); add its package to "
                    + AvroSerdeConfig.SPECIFIC_AVRO_TRUSTED_PACKAGES, e);
            }
            if (generated == null) {
                throw new SerializationException("specific.avro.reader is set but no generated class "
                    + writer.getFullName() + " is on the classpath (record from topic " + topic + ")");
            }
            return SpecificData.getForClass(generated).getSchema(generated);
        }
        if (useLatestVersion) {
            String subject = strategy.subject(topic, isKey, writer);
            try {
                return client.latest(subject).schema();
            } catch (SchemaRegistryException e) {
                throw new SerializationException("Cannot find the latest schema of subject " + subject
                    + " to read a record from topic " + topic + ": " + e.getMessage(), e);
            }
        }
        return writer;
    }

    private DatumReader<Object> datumReader(Schema writer, Schema reader) {
        boolean useSpecific = specific && writer.getType() == Schema.Type.RECORD;
        return readers.computeIfAbsent(new ReaderKey(writer, reader, useSpecific), key -> {
            if (key.specific()) {
                Class<?> generated = SpecificData.get().getClass(writer);
                return new SpecificDatumReader<>(writer, reader, SpecificData.getForClass(generated));
            }
            return new GenericDatumReader<>(writer, reader, GenericData.get());
        });
    }

    @Override
    public void close() {
        super.close();
    }
}
