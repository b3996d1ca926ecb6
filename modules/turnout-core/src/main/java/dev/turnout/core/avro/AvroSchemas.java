package dev.turnout.core.avro;

import java.nio.ByteBuffer;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.common.errors.SerializationException;

import io.apicurio.registry.serde.avro.NonRecordContainer;

/** The Avro schema of a datum handed to a serializer: records carry theirs; primitives map to primitive schemas. */
final class AvroSchemas {

    private AvroSchemas() {
    }

    static Schema of(Object datum) {
        if (datum instanceof NonRecordContainer container) {
            return container.getSchema();
        }
        if (datum instanceof GenericContainer container) {
            return container.getSchema();
        }
        if (datum == null) {
            return Schema.create(Schema.Type.NULL);
        }
        if (datum instanceof Boolean) {
            return Schema.create(Schema.Type.BOOLEAN);
        }
        if (datum instanceof Integer) {
            return Schema.create(Schema.Type.INT);
        }
        if (datum instanceof Long) {
            return Schema.create(Schema.Type.LONG);
        }
        if (datum instanceof Float) {
            return Schema.create(Schema.Type.FLOAT);
        }
        if (datum instanceof Double) {
            return Schema.create(Schema.Type.DOUBLE);
        }
        if (datum instanceof CharSequence) {
            return Schema.create(Schema.Type.STRING);
        }
        if (datum instanceof byte[] || datum instanceof ByteBuffer) {
            return Schema.create(Schema.Type.BYTES);
        }
        throw new SerializationException("Cannot serialize a " + datum.getClass().getName() + " as Avro: expected a "
            + "GenericRecord, SpecificRecord, or a boolean, int, long, float, double, string or bytes value");
    }

    /** The value the Avro writer expects for {@code datum}. */
    static Object writable(Object datum) {
        if (datum instanceof NonRecordContainer container) {
            return writable(container.getValue());
        }
        if (datum instanceof byte[] bytes) {
            return ByteBuffer.wrap(bytes);
        }
        return datum;
    }
}
