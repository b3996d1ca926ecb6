package dev.turnout.core.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import dev.turnout.core.registry.RestSchemaRegistryClient;

/**
 * Byte layout against the published Confluent wire format: magic byte 0, 4-byte big-endian schema id, Avro binary.
 * The expected bytes are written out by hand from that description and the Avro specification, not produced by Turnout.
 */
class WireFormatTest {

    static final Schema USER = new Schema.Parser().parse("""
        {"type":"record","name":"User","namespace":"vectors","fields":[
          {"name":"id","type":"long"},{"name":"name","type":"string"},{"name":"email","type":["null","string"]}]}""");

    /** id=1 (zig-zag 0x02), name="ada" (length 3 -> 0x06, then UTF-8), email=null (union branch 0 -> 0x00). */
    static byte[] handWritten(int schemaId) {
        return ByteBuffer.allocate(11)
            .put((byte) 0x00)
            .putInt(schemaId)
            .put(new byte[] {0x02, 0x06, 'a', 'd', 'a', 0x00})
            .array();
    }

    static GenericRecord ada() {
        GenericRecord r = new GenericData.Record(USER);
        r.put("id", 1L);
        r.put("name", "ada");
        r.put("email", null);
        return r;
    }

    @Test
    void turnoutsBytesMatchTheHandWrittenVector() {
        String topic = "vectors-" + UUID.randomUUID();
        try (AvroSerializer serializer = new AvroSerializer()) {
            serializer.configure(SharedRegistry.serdeConfig(), false);
            byte[] bytes = serializer.serialize(topic, ada());
            int id = RestSchemaRegistryClient.forUrl(SharedRegistry.url()).lookup(topic + "-value", USER).orElseThrow().id();
            assertThat(bytes).containsExactly(handWritten(id));
        }
    }

    @Test
    void aHandWrittenRecordDecodes() {
        int id = RestSchemaRegistryClient.forUrl(SharedRegistry.url()).register("vectors-hand-" + UUID.randomUUID(), USER);
        try (AvroDeserializer deserializer = new AvroDeserializer()) {
            deserializer.configure(SharedRegistry.serdeConfig(), false);
            Object decoded = deserializer.deserialize("any-topic", handWritten(id));
            assertThat(decoded).isEqualTo(ada());
        }
    }

    @Test
    void headerIsMagicByteThenBigEndianId() {
        assertThat(WireFormat.header(0x01020304)).containsExactly(0x00, 0x01, 0x02, 0x03, 0x04);
        WireFormat.Frame frame = WireFormat.read(new byte[] {0, 0, 0, 1, 0, 9, 8}, "t");
        assertThat(frame.schemaId()).isEqualTo(256);
        assertThat(frame.body().remaining()).isEqualTo(2);
        assertThat(frame.body().get()).isEqualTo((byte) 9);
    }

    @Test
    void anUnknownMagicByteIsRejectedNamingTheTopic() {
        assertThatThrownBy(() -> WireFormat.read(new byte[] {1, 0, 0, 0, 1, 2}, "orders"))
            .isInstanceOf(SerializationException.class)
            .hasMessage("Unknown magic byte 0x01 in record from topic orders: expected 0x00 (Confluent wire format); "
                + "the record was not written by a schema-registry serializer");
    }

    @Test
    void aPayloadShorterThanTheHeaderIsRejectedNamingTheTopic() {
        assertThatThrownBy(() -> WireFormat.read(new byte[] {0, 0, 0}, "orders"))
            .isInstanceOf(SerializationException.class)
            .hasMessage("Truncated Avro record from topic orders: 3 bytes, but the Confluent wire format needs at least 5 "
                + "(magic byte and schema id)");
    }

    @Test
    void aTruncatedBodyAndAnUnknownIdAreClearErrors() {
        int id = RestSchemaRegistryClient.forUrl(SharedRegistry.url()).register("vectors-trunc-" + UUID.randomUUID(), USER);
        try (AvroDeserializer deserializer = new AvroDeserializer()) {
            deserializer.configure(SharedRegistry.serdeConfig(), false);
            byte[] truncated = java.util.Arrays.copyOf(handWritten(id), 8);
            assertThatThrownBy(() -> deserializer.deserialize("orders", truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("Cannot decode a value from topic orders with schema id " + id
                    + " (vectors.User): the Avro body is truncated or corrupt");
            assertThatThrownBy(() -> deserializer.deserialize("orders", handWritten(987654)))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("Cannot decode a value from topic orders: schema id 987654 is not known to the "
                    + "registry")
                .hasMessageContaining("error_code 40403");
        }
    }
}
