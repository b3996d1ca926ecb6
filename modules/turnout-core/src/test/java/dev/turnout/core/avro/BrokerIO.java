package dev.turnout.core.avro;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;

import dev.turnout.testkit.SharedInfrastructure;

/** Produce and read raw records on the shared real broker, so tests see exactly the bytes that crossed it. */
final class BrokerIO {

    private BrokerIO() {
    }

    static void produce(String topic, byte[] key, byte[] value) {
        SharedInfrastructure.kafka().createTopic(topic, 1, Map.of());
        Map<String, Object> props = new HashMap<>(SharedInfrastructure.kafka().clientProperties());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not produce to " + topic, e);
        }
    }

    static List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected) {
        return read(topic, expected, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static <K, V> List<ConsumerRecord<K, V>> read(String topic, int expected, Deserializer<K> keys, Deserializer<V> values) {
        Map<String, Object> props = new HashMap<>(SharedInfrastructure.kafka().clientProperties());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, keys, values)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        if (records.size() < expected) {
            throw new AssertionError("read " + records.size() + " of " + expected + " records from " + topic);
        }
        return records;
    }
}
