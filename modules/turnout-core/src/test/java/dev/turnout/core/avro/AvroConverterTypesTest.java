package dev.turnout.core.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

import io.debezium.data.Enum;
import io.debezium.data.Json;
import io.debezium.data.Uuid;
import io.debezium.data.VariableScaleDecimal;
import io.debezium.time.Date;
import io.debezium.time.MicroTime;
import io.debezium.time.MicroTimestamp;
import io.debezium.time.ZonedTimestamp;

/**
 * Every column type PostgreSQL produces through Debezium, built with Debezium's own schema builders, converted to Avro,
 * sent through a real broker and read back into Connect data: names, parameters, defaults and values survive.
 */
class AvroConverterTypesTest {

    static final Schema KEY = SchemaBuilder.struct().name("shop.public.everything.Key")
        .field("id", Schema.INT64_SCHEMA)
        .field("tenant", Uuid.builder().build())
        .build();

    static final Schema VALUE = SchemaBuilder.struct().name("shop.public.everything.Value")
        .field("c_int2", Schema.INT16_SCHEMA)
        .field("c_int4", Schema.INT32_SCHEMA)
        .field("c_int8", Schema.INT64_SCHEMA)
        .field("c_numeric", Decimal.builder(2).parameter("connect.decimal.precision", "12").build())
        .field("c_numeric_var", VariableScaleDecimal.builder().optional().build())
        .field("c_real", Schema.FLOAT32_SCHEMA)
        .field("c_double", Schema.FLOAT64_SCHEMA)
        .field("c_bool", Schema.BOOLEAN_SCHEMA)
        .field("c_text", Schema.STRING_SCHEMA)
        .field("c_varchar", Schema.OPTIONAL_STRING_SCHEMA)
        .field("c_char", Schema.STRING_SCHEMA)
        .field("c_bytea", Schema.BYTES_SCHEMA)
        .field("c_date", Date.builder().build())
        .field("c_time", MicroTime.builder().build())
        .field("c_timestamp", MicroTimestamp.builder().build())
        .field("c_timestamptz", ZonedTimestamp.builder().build())
        .field("c_uuid", Uuid.builder().build())
        .field("c_json", Json.builder().optional().build())
        .field("c_jsonb", Json.builder().build())
        .field("c_enum", Enum.builder("draft,sent,read").build())
        .field("c_int_array", SchemaBuilder.array(Schema.OPTIONAL_INT32_SCHEMA).optional().build())
        .field("c_text_array", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
        .field("c_nullable_default", SchemaBuilder.string().optional().defaultValue("pending").build())
        .field("c_int_default", SchemaBuilder.int32().defaultValue(7).build())
        .field("c_null", Schema.OPTIONAL_STRING_SCHEMA)
        .build();

    static Struct key(long id) {
        return new Struct(KEY).put("id", id).put("tenant", UUID.nameUUIDFromBytes(new byte[] {1}).toString());
    }

    static Struct value() {
        LocalDate day = LocalDate.of(2026, 11, 22);
        return new Struct(VALUE)
            .put("c_int2", (short) -12)
            .put("c_int4", 123_456)
            .put("c_int8", 9_007_199_254_740_993L)
            .put("c_numeric", new BigDecimal("12345.67"))
            .put("c_numeric_var", VariableScaleDecimal.fromLogical(VALUE.field("c_numeric_var").schema(),
                new BigDecimal("3.14159265358979")))
            .put("c_real", 1.5f)
            .put("c_double", Math.PI)
            .put("c_bool", true)
            .put("c_text", "long text ✓ with unicode")
            .put("c_varchar", "varchar")
            .put("c_char", "c   ")
            .put("c_bytea", new byte[] {0, 1, 2, (byte) 0xff})
            .put("c_date", Date.toEpochDay(day, null))
            .put("c_time", MicroTime.toMicroOfDay(LocalTime.of(13, 14, 15, 123_456_000), false))
            .put("c_timestamp", MicroTimestamp.toEpochMicros(LocalDateTime.of(day, LocalTime.of(1, 2, 3, 456_789_000)), null))
            .put("c_timestamptz", ZonedTimestamp.toIsoString(
                OffsetDateTime.of(day.atTime(4, 5, 6), ZoneOffset.ofHours(2)), null))
            .put("c_uuid", "4f9d6e0a-6a0e-4d3b-9b3c-2f7d1c0e5a11")
            .put("c_json", "{\"a\": [1, 2]}")
            .put("c_jsonb", "{\"b\": {\"c\": null}}")
            .put("c_enum", "sent")
            .put("c_int_array", java.util.Arrays.asList(1, null, 3))
            .put("c_text_array", List.of("x", "y"))
            .put("c_nullable_default", "delivered")
            .put("c_int_default", 8)
            .put("c_null", null);
    }

    static AvroConverter converter(boolean isKey) {
        AvroConverter c = new AvroConverter();
        c.configure(SharedRegistry.serdeConfig(), isKey);
        return c;
    }

    @Test
    void everyPostgresTypeRoundTripsAsKeyAndValueThroughTheBroker() {
        String topic = "shop.public.everything-" + UUID.randomUUID();
        AvroConverter keys = converter(true);
        AvroConverter values = converter(false);
        BrokerIO.produce(topic, keys.fromConnectData(topic, KEY, key(1)), values.fromConnectData(topic, VALUE, value()));

        ConsumerRecord<byte[], byte[]> record = BrokerIO.read(topic, 1).get(0);
        SchemaAndValue k = keys.toConnectData(topic, record.key());
        SchemaAndValue v = values.toConnectData(topic, record.value());

        assertThat(k.value()).isEqualTo(key(1));
        assertSameSchema(v.schema(), VALUE);
        Struct got = (Struct) v.value();
        Struct want = value();
        for (Field f : VALUE.fields()) {
            Object actual = got.get(f.name());
            Object expected = want.get(f.name());
            if (expected instanceof byte[] bytes) {
                assertThat(toBytes(actual)).as(f.name()).containsExactly(bytes);
            } else if (expected instanceof Struct s) {
                assertThat(VariableScaleDecimal.toLogical((Struct) actual).getDecimalValue())
                    .as(f.name()).isEqualTo(VariableScaleDecimal.toLogical(s).getDecimalValue());
            } else {
                assertThat(actual).as(f.name()).isEqualTo(expected);
            }
        }
    }

    @Test
    void theAvroSchemaKeepsDebeziumTypeNamesAndIsReadableByAPlainAvroConsumer() {
        String topic = "shop.public.plain-" + UUID.randomUUID();
        BrokerIO.produce(topic, null, converter(false).fromConnectData(topic, VALUE, value()));

        AvroDeserializer plain = new AvroDeserializer();
        plain.configure(SharedRegistry.serdeConfig(), false);
        GenericRecord record = (GenericRecord) BrokerIO.read(topic, 1, new ByteArrayDeserializer(), plain).get(0).value();
        org.apache.avro.Schema avro = record.getSchema();

        assertThat(avro.getField("c_date").schema().getProp("connect.name")).isEqualTo("io.debezium.time.Date");
        assertThat(avro.getField("c_timestamptz").schema().getProp("connect.name"))
            .isEqualTo("io.debezium.time.ZonedTimestamp");
        assertThat(avro.getField("c_numeric").schema().getLogicalType().getName()).isEqualTo("decimal");
        assertThat(avro.getField("c_enum").schema().getObjectProp("connect.parameters").toString()).contains("draft,sent,read");
        assertThat(record.get("c_text")).hasToString("long text ✓ with unicode");
        assertThat(record.get("c_int4")).isEqualTo(123_456);
        assertThat(record.get("c_null")).isNull();
    }

    @Test
    void aNewSchemaInstanceForTheSameTableIsWrittenWithItsOwnSchema() {
        // The converter caches Avro schemas by Connect schema instance; an altered table arrives as a new instance with
        // the same name, and must not be written with the schema cached for the old one.
        AvroConverter values = converter(false);
        String topic = "converter-evolves-" + UUID.randomUUID();
        Schema before = SchemaBuilder.struct().name("shop.public.evolving.Value")
            .field("id", Schema.INT64_SCHEMA).build();
        Schema after = SchemaBuilder.struct().name("shop.public.evolving.Value")
            .field("id", Schema.INT64_SCHEMA).field("note", Schema.OPTIONAL_STRING_SCHEMA).build();
        byte[] first = values.fromConnectData(topic, before, new Struct(before).put("id", 1L));
        byte[] second = values.fromConnectData(topic, after, new Struct(after).put("id", 2L).put("note", "added"));
        byte[] third = values.fromConnectData(topic, before, new Struct(before).put("id", 3L));

        assertThat(ByteBuffer.wrap(second, 1, 4).getInt()).isNotEqualTo(ByteBuffer.wrap(first, 1, 4).getInt());
        assertThat(ByteBuffer.wrap(third, 1, 4).getInt()).isEqualTo(ByteBuffer.wrap(first, 1, 4).getInt());
        Struct read = (Struct) values.toConnectData(topic, second).value();
        assertThat(read.getString("note")).isEqualTo("added");
        assertThat(read.schema().fields()).extracting(Field::name).containsExactly("id", "note");
        assertThat(((Struct) values.toConnectData(topic, third).value()).schema().fields()).extracting(Field::name)
            .containsExactly("id");
    }

    @Test
    void aTombstoneStaysNull() {
        assertThat(converter(false).fromConnectData("t", null, null)).isNull();
        assertThat(converter(false).toConnectData("t", null)).isEqualTo(SchemaAndValue.NULL);
    }

    private static void assertSameSchema(Schema actual, Schema expected) {
        assertThat(actual.name()).isEqualTo(expected.name());
        assertThat(actual.fields()).extracting(Field::name).containsExactlyElementsOf(
            expected.fields().stream().map(Field::name).toList());
        for (Field f : expected.fields()) {
            Schema a = actual.field(f.name()).schema();
            assertThat(a.type()).as(f.name()).isEqualTo(f.schema().type());
            assertThat(a.name()).as(f.name()).isEqualTo(f.schema().name());
            assertThat(a.isOptional()).as(f.name()).isEqualTo(f.schema().isOptional());
            assertThat(a.defaultValue()).as(f.name()).isEqualTo(f.schema().defaultValue());
            if (f.schema().parameters() != null) {
                assertThat(a.parameters()).as(f.name()).containsAllEntriesOf(f.schema().parameters());
            }
        }
    }

    private static byte[] toBytes(Object value) {
        if (value instanceof ByteBuffer buffer) {
            byte[] out = new byte[buffer.remaining()];
            buffer.duplicate().get(out);
            return out;
        }
        return value instanceof byte[] b ? b : String.valueOf(value).getBytes(StandardCharsets.UTF_8);
    }
}
