package dev.turnout.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaClusterTest {

    @Test
    void twoIndependentClustersRunAtOnceAndEachRoundTripsARecord() throws Exception {
        try (KafkaCluster a = KafkaCluster.builder().name("a").start();
             KafkaCluster b = KafkaCluster.builder().name("b").start()) {
            assertThat(a.bootstrap()).isNotEqualTo(b.bootstrap());
            assertThat(a.clusterId()).isNotEqualTo(b.clusterId());
            assertThat(clusterIdSeenByClient(a)).isEqualTo(a.clusterId());
            assertThat(clusterIdSeenByClient(b)).isEqualTo(b.clusterId());

            a.createTopic("orders", 1, Map.of());
            b.createTopic("orders", 1, Map.of());
            produce(a, "orders", "k", "on-a");
            produce(b, "orders", "k", "on-b");

            assertThat(readAll(a, "orders", 1)).extracting(ConsumerRecord::value).containsExactly("on-a");
            assertThat(readAll(b, "orders", 1)).extracting(ConsumerRecord::value).containsExactly("on-b");
        }
    }

    @Test
    void restartOnTheSameDataDirectoryKeepsEarlierRecords() throws Exception {
        try (KafkaCluster cluster = KafkaCluster.builder().name("restart").start()) {
            String bootstrap = cluster.bootstrap();
            cluster.createTopic("events", 1, Map.of());
            produce(cluster, "events", "k1", "before-restart");

            cluster.restart();

            assertThat(cluster.bootstrap()).isEqualTo(bootstrap);
            produce(cluster, "events", "k2", "after-restart");
            assertThat(readAll(cluster, "events", 2)).extracting(ConsumerRecord::value)
                .containsExactly("before-restart", "after-restart");
        }
    }

    @Test
    void stoppedClusterRefusesConnectionsUntilRestarted() throws Exception {
        try (KafkaCluster cluster = KafkaCluster.builder().name("stopped").start()) {
            cluster.stop();
            assertThat(cluster.isRunning()).isFalse();
            String[] hostPort = cluster.bootstrap().split(":");
            assertThatThrownBy(() -> new Socket(hostPort[0], Integer.parseInt(hostPort[1])).close())
                .isInstanceOf(ConnectException.class);
            cluster.restart();
            assertThat(clusterIdSeenByClient(cluster)).isEqualTo(cluster.clusterId());
        }
    }

    static String clusterIdSeenByClient(KafkaCluster cluster) throws Exception {
        try (var admin = cluster.admin()) {
            return admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
    }

    static void produce(KafkaCluster cluster, String topic, String key, String value) throws Exception {
        Map<String, Object> props = cluster.clientProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    static List<ConsumerRecord<String, String>> readAll(KafkaCluster cluster, String topic, int expected) {
        Map<String, Object> props = cluster.clientProperties();
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
