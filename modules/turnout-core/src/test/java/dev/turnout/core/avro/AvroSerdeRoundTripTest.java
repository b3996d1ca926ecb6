package dev.turnout.core.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import dev.turnout.core.avro.testtypes.Customer;
import dev.turnout.core.avro.testtypes.Tier;
import dev.turnout.core.registry.RestSchemaRegistryClient;

class AvroSerdeRoundTripTest {

    static final Schema ORDER_V1 = new Schema.Parser().parse("""
        {"type":"record","name":"Order","namespace":"shop","fields":[
          {"name":"id","type":"long"},{"name":"total","type":"double"}]}""");
    static final Schema ORDER_V2 = new Schema.Parser().parse("""
        {"type":"record","name":"Order","namespace":"shop","fields":[
          {"name":"id","type":"long"},{"name":"total","type":"double"},
          {"name":"currency","type":["null","string"],"default":null}]}""");
    static final Schema ORDER_BREAKING = new Schema.Parser().parse("""
        {"type":"record","name":"Order","namespace":"shop","fields":[
          {"name":"id","type":"long"},{"name":"total","type":"double"},{"name":"customer","type":"string"}]}""");
    static final Schema ORDER_KEY = new Schema.Parser().parse("""
        {"type":"record","name":"OrderKey","namespace":"shop","fields":[{"name":"id","type":"long"}]}""");

    static String topic(String name) {
        return name + "-" + UUID.randomUUID();
    }

    static Map<String, Object> config(Object... kv) {
        Map<String, Object> c = new HashMap<>(SharedRegistry.serdeConfig());
        for (int i = 0; i < kv.length; i += 2) {
            c.put((String) kv[i], kv[i + 1]);
        }
        return c;
    }

    static AvroSerializer serializer(boolean isKey, Object... kv) {
        AvroSerializer s = new AvroSerializer();
        s.configure(config(kv), isKey);
        return s;
    }

    static AvroDeserializer deserializer(boolean isKey, Object... kv) {
        AvroDeserializer d = new AvroDeserializer();
        d.configure(config(kv), isKey);
        return d;
    }

    static GenericRecord order(Schema schema, long id, double total) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("id", id);
        r.put("total", total);
        return r;
    }

    @Test
    void genericRecordKeyAndValueRoundTripThroughTheBroker() {
        String topic = topic("generic");
        GenericRecord key = new GenericData.Record(ORDER_KEY);
        key.put("id", 7L);
        GenericRecord value = order(ORDER_V1, 7, 19.5);
        try (AvroSerializer ks = serializer(true); AvroSerializer vs = serializer(false)) {
            BrokerIO.produce(topic, ks.serialize(topic, key), vs.serialize(topic, value));
        }
        List<ConsumerRecord<Object, Object>> read = BrokerIO.read(topic, 1, deserializer(true), deserializer(false));
        assertThat(read.get(0).key()).isEqualTo(key);
        assertThat(read.get(0).value()).isEqualTo(value);
        RestSchemaRegistryClient client = RestSchemaRegistryClient.forUrl(SharedRegistry.url());
        assertThat(client.latest(topic + "-key").schema()).isEqualTo(ORDER_KEY);
        assertThat(client.latest(topic + "-value").schema()).isEqualTo(ORDER_V1);
    }

    @Test
    void primitiveKeysAndValuesRoundTrip() {
        String topic = topic("primitive");
        try (AvroSerializer ks = serializer(true); AvroSerializer vs = serializer(false)) {
            BrokerIO.produce(topic, ks.serialize(topic, "user-42"), vs.serialize(topic, 1234567890123L));
            BrokerIO.produce(topic + "-bytes", ks.serialize(topic + "-bytes", 42), vs.serialize(topic + "-bytes",
                new byte[] {1, 2, 3}));
        }
        List<ConsumerRecord<Object, Object>> read = BrokerIO.read(topic, 1, deserializer(true), deserializer(false));
        assertThat(read.get(0).key()).isEqualTo("user-42");
        assertThat(read.get(0).value()).isEqualTo(1234567890123L);
        ConsumerRecord<Object, Object> bytes = BrokerIO.read(topic + "-bytes", 1, deserializer(true), deserializer(false))
            .get(0);
        assertThat(bytes.key()).isEqualTo(42);
        assertThat(bytes.value()).isEqualTo(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}));
    }

    @Test
    void specificRecordsRoundTripWithLogicalTypes() {
        String topic = topic("specific");
        Customer customer = Customer.newBuilder()
            .setId(1L)
            .setEmail("ada@example.com")
            .setBalance(new BigDecimal("1234.50"))
            .setCreatedAt(Instant.now().truncatedTo(ChronoUnit.MICROS))
            .setExternalId(UUID.randomUUID())
            .setTier(Tier.PRO)
            .setNickname(null)
            .build();
        try (AvroSerializer vs = serializer(false)) {
            BrokerIO.produce(topic, null, vs.serialize(topic, customer));
        }
        Object specific = BrokerIO.read(topic, 1, new ByteArrayDeserializer(),
            deserializer(false, AvroSerdeConfig.SPECIFIC_AVRO_READER, true,
                AvroSerdeConfig.SPECIFIC_AVRO_TRUSTED_PACKAGES, Customer.class.getPackageName())).get(0).value();
        assertThat(specific).isInstanceOf(Customer.class).isEqualTo(customer);
        Object generic = BrokerIO.read(topic, 1, new ByteArrayDeserializer(), deserializer(false)).get(0).value();
        assertThat(generic).isInstanceOf(GenericRecord.class);
        assertThat(((GenericRecord) generic).get("email")).hasToString("ada@example.com");
    }

    @Test
    void recordNameStrategyNamesTheSubjectAfterTheRecord() {
        String topic = topic("by-record-name");
        Schema named = new Schema.Parser().parse("""
            {"type":"record","name":"Payment","namespace":"ns%s","fields":[{"name":"id","type":"long"}]}"""
            .formatted(UUID.randomUUID().toString().replace("-", "")));
        GenericRecord payment = new GenericData.Record(named);
        payment.put("id", 3L);
        try (AvroSerializer vs = serializer(false, AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY,
            "io.confluent.kafka.serializers.subject.RecordNameStrategy")) {
            BrokerIO.produce(topic, null, vs.serialize(topic, payment));
        }
        RestSchemaRegistryClient client = RestSchemaRegistryClient.forUrl(SharedRegistry.url());
        assertThat(client.subjects()).contains(named.getFullName()).doesNotContain(topic + "-value");
        assertThat(BrokerIO.read(topic, 1, new ByteArrayDeserializer(), deserializer(false)).get(0).value())
            .isEqualTo(payment);
    }

    @Test
    void anOptionalFieldWithADefaultIsAcceptedAndOldRecordsDecodeWithTheNewReader() {
        String topic = topic("evolve");
        try (AvroSerializer vs = serializer(false)) {
            BrokerIO.produce(topic, null, vs.serialize(topic, order(ORDER_V1, 1, 10.0)));
            GenericRecord v2 = order(ORDER_V2, 2, 20.0);
            v2.put("currency", "EUR");
            BrokerIO.produce(topic, null, vs.serialize(topic, v2));
        }
        assertThat(RestSchemaRegistryClient.forUrl(SharedRegistry.url()).versions(topic + "-value")).containsExactly(1, 2);
        List<ConsumerRecord<byte[], Object>> read = BrokerIO.read(topic, 2, new ByteArrayDeserializer(),
            deserializer(false, AvroSerdeConfig.USE_LATEST_VERSION, true));
        GenericRecord old = (GenericRecord) read.get(0).value();
        assertThat(old.getSchema()).isEqualTo(ORDER_V2);
        assertThat(old.get("id")).isEqualTo(1L);
        assertThat(old.get("currency")).isNull();
        assertThat(((GenericRecord) read.get(1).value()).get("currency")).hasToString("EUR");
    }

    @Test
    void aBackwardIncompatibleSchemaIsRefusedNamingTheField() {
        String topic = topic("refuse");
        try (AvroSerializer vs = serializer(false)) {
            vs.serialize(topic, order(ORDER_V1, 1, 10.0));
            GenericRecord breaking = order(ORDER_BREAKING, 2, 20.0);
            breaking.put("customer", "ada");
            assertThatThrownBy(() -> vs.serialize(topic, breaking))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("subject " + topic + "-value")
                .hasMessageContaining("HTTP 409")
                .hasMessageContaining("customer");
        }
    }

    @Test
    void withAutoRegisterOffAnUnregisteredSchemaIsAClearError() {
        String topic = topic("no-auto");
        try (AvroSerializer vs = serializer(false, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false)) {
            assertThatThrownBy(() -> vs.serialize(topic, order(ORDER_V1, 1, 1.0)))
                .isInstanceOf(SerializationException.class)
                .hasMessage("The schema of a value for topic " + topic + " is not registered under subject " + topic
                    + "-value and auto.register.schemas is false");
        }
    }

    @Test
    void aPoisonRecordOnTheTopicIsReportedWithTopicPartitionAndOffset() {
        String topic = topic("poison");
        BrokerIO.produce(topic, null, "not avro".getBytes());
        assertThatThrownBy(() -> BrokerIO.read(topic, 1, new ByteArrayDeserializer(), deserializer(false)))
            .isInstanceOf(RecordDeserializationException.class)
            .satisfies(e -> {
                RecordDeserializationException rde = (RecordDeserializationException) e;
                assertThat(rde.topicPartition().topic()).isEqualTo(topic);
                assertThat(rde.topicPartition().partition()).isZero();
                assertThat(rde.offset()).isZero();
                assertThat(rde.getCause()).hasMessageContaining("Unknown magic byte 0x6e in record from topic " + topic);
            });
    }
}
