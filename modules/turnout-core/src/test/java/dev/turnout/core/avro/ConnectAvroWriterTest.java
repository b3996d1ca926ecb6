package dev.turnout.core.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;

import io.apicurio.registry.utils.converter.avro.AvroData;
import io.apicurio.registry.utils.converter.avro.AvroDataConfig;

/**
 * The direct Connect-to-Avro writer produces, byte for byte, what AvroData's generic record written by Avro's generic
 * writer produces, for every shape Debezium's PostgreSQL connector emits; and it declines shapes it cannot write.
 */
class ConnectAvroWriterTest {

    private final AvroData avroData = new AvroData(new AvroDataConfig(Map.of("schema.registry.url", "http://unused")));

    @Test
    void everyPostgresColumnTypeIsWrittenAsTheGenericPathWritesIt() throws IOException {
        assertSameBytes(AvroConverterTypesTest.VALUE, AvroConverterTypesTest.value());
        assertSameBytes(AvroConverterTypesTest.KEY, AvroConverterTypesTest.key(42));
    }

    @Test
    void aDebeziumEnvelopeIsWrittenAsTheGenericPathWritesIt() throws IOException {
        Schema row = SchemaBuilder.struct().name("shop.public.users.Value").optional()
            .field("id", Schema.INT64_SCHEMA)
            .field("email", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
        Schema source = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
            .field("version", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .field("snapshot", SchemaBuilder.string().optional().defaultValue("false").build())
            .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .build();
        Schema transaction = SchemaBuilder.struct().name("event.block").optional()
            .field("id", Schema.STRING_SCHEMA)
            .field("total_order", Schema.INT64_SCHEMA)
            .build();
        Schema envelope = SchemaBuilder.struct().name("shop.public.users.Envelope")
            .field("before", row)
            .field("after", row)
            .field("source", source)
            .field("transaction", transaction)
            .field("op", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
            .build();
        Struct update = new Struct(envelope)
            .put("before", new Struct(row).put("id", 7L).put("email", null))
            .put("after", new Struct(row).put("id", 7L).put("email", "a@example.com"))
            .put("source", new Struct(source).put("version", "3.6.3.Final").put("ts_ms", 1_700_000_000_000L)
                .put("txId", 991L).put("lsn", 123_456_789L))
            .put("transaction", new Struct(transaction).put("id", "991:123456789").put("total_order", 3L))
            .put("op", "u")
            .put("ts_ms", 1_700_000_000_123L);
        Struct insert = new Struct(envelope)
            .put("after", new Struct(row).put("id", 8L).put("email", "b@example.com"))
            .put("source", new Struct(source).put("version", "3.6.3.Final").put("ts_ms", 1L).put("snapshot", "true"))
            .put("op", "r");

        assertSameBytes(envelope, update);
        assertSameBytes(envelope, insert);
    }

    @Test
    void connectLogicalTypesMapsArraysAndDefaultsAreWrittenAsTheGenericPathWritesThem() throws IOException {
        Schema element = SchemaBuilder.struct().name("element").field("n", Schema.INT8_SCHEMA).build();
        Schema schema = SchemaBuilder.struct().name("logical")
            .field("day", Date.SCHEMA)
            .field("time", Time.SCHEMA)
            .field("stamp", Timestamp.SCHEMA)
            .field("amount", Decimal.schema(3))
            .field("maybe_amount", Decimal.builder(1).optional().build())
            .field("ratio", Schema.FLOAT32_SCHEMA)
            .field("small", Schema.INT16_SCHEMA)
            .field("defaulted", SchemaBuilder.int64().optional().defaultValue(5L).build())
            .field("blob", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("counts", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_INT32_SCHEMA).build())
            .field("elements", SchemaBuilder.array(element).optional().build())
            .field("matrix", SchemaBuilder.array(SchemaBuilder.array(Schema.FLOAT64_SCHEMA).build()).build())
            .build();
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("a", 1);
        counts.put("b", null);
        Struct value = new Struct(schema)
            .put("day", new java.util.Date(86_400_000L * 20_000))
            .put("time", new java.util.Date(45_296_789L))
            .put("stamp", new java.util.Date(1_700_000_000_123L))
            .put("amount", new BigDecimal("-1234.567"))
            .put("maybe_amount", null)
            .put("ratio", 0.25f)
            .put("small", (short) 300)
            .put("blob", ByteBuffer.wrap(new byte[] {9, 8, 7}))
            .put("counts", counts)
            .put("elements", List.of(new Struct(element).put("n", (byte) -3), new Struct(element).put("n", (byte) 4)))
            .put("matrix", List.of(List.of(1.0, 2.5), List.of(), List.of(-0.0)));

        assertSameBytes(schema, value);
        assertSameBytes(schema, value.put("defaulted", null).put("elements", null).put("blob", new byte[0]));
    }

    @Test
    void shapesTheWriterCannotWriteAreLeftToTheGenericPath() {
        Schema intKeys = SchemaBuilder.struct().name("int_keys")
            .field("m", SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build())
            .build();

        assertThat(ConnectAvroWriter.of(intKeys, avroData.fromConnectSchema(intKeys))).isEmpty();
        assertThat(ConnectAvroWriter.of(AvroConverterTypesTest.VALUE,
            avroData.fromConnectSchema(AvroConverterTypesTest.VALUE))).isPresent();
    }

    private void assertSameBytes(Schema schema, Object value) throws IOException {
        org.apache.avro.Schema avro = avroData.fromConnectSchema(schema);
        ConnectAvroWriter writer = ConnectAvroWriter.of(schema, avro).orElseThrow(
            () -> new AssertionError("the direct writer declined " + schema.name()));

        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(direct, null);
        writer.write(value, encoder);
        encoder.flush();

        ByteArrayOutputStream generic = new ByteArrayOutputStream();
        BinaryEncoder genericEncoder = EncoderFactory.get().directBinaryEncoder(generic, null);
        new GenericDatumWriter<>(avro, GenericData.get()).write(avroData.fromConnectData(schema, value), genericEncoder);
        genericEncoder.flush();

        assertThat(direct.toByteArray()).as(Arrays.toString(generic.toByteArray())).isEqualTo(generic.toByteArray());
    }
}
