package dev.turnout.core.avro;

import java.nio.ByteBuffer;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's wire format for schema-registry-encoded records: a magic byte {@code 0}, the schema id as a 4-byte
 * big-endian int, then the Avro binary encoding of the datum. Any consumer built on Confluent's deserializers reads what
 * Turnout writes, and Turnout reads theirs.
 */
public final class WireFormat {

    /** The first byte of every framed record. */
    public static final byte MAGIC = 0x0;
    /** Magic byte plus schema id. */
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** A framed record's schema id and the Avro body that follows the header. */
    public record Frame(int schemaId, ByteBuffer body) {
    }

    /** The header for {@code schemaId}. */
    public static byte[] header(int schemaId) {
        return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC).putInt(schemaId).array();
    }

    /**
     * Reads the header of a framed record.
     *
     * @param topic named in the error, so a consumer can tell which feed is wrong
     * @throws SerializationException for a payload shorter than the header or a magic byte other than 0
     */
    public static Frame read(byte[] data, String topic) {
        if (data.length < HEADER_SIZE) {
            throw new SerializationException("Truncated Avro record from topic " + topic + ": " + data.length
                + " byte" + (data.length == 1 ? "" : "s") + ", but the Confluent wire format needs at least "
                + HEADER_SIZE + " (magic byte and schema id)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        byte magic = buffer.get();
        if (magic != MAGIC) {
            throw new SerializationException(String.format("Unknown magic byte 0x%02x in record from topic %s: expected "
                + "0x00 (Confluent wire format); the record was not written by a schema-registry serializer", magic, topic));
        }
        int id = buffer.getInt();
        return new Frame(id, buffer.slice());
    }
}
