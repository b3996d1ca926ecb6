package dev.turnout.cutover;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.turnout.testkit.KafkaCluster;

/** Producing, reading and committing with plain Kafka clients, for setting up scenarios and checking ground truth. */
final class TestRecords {

    private TestRecords() {
    }

    /** A record as a consumer sees it, with the identity tests compare by. */
    record Seen(long offset, String key, String value, long timestamp, String id, String src, String topic, int partition) {

        Seen(long offset, String key, String value, long timestamp, String id, String src) {
            this(offset, key, value, timestamp, id, src, null, -1);
        }

        Seen withPartition(String t, int p) {
            return new Seen(offset, key, value, timestamp, id, src, t, p);
        }

        /** The produced record this is: its turnout.id, or its value for records produced without one. */
        String identity() {
            return id != null ? id : value;
        }
    }

    static KafkaProducer<byte[], byte[]> producer(KafkaCluster cluster) {
        Map<String, Object> props = new HashMap<>(cluster.clientProperties());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static KafkaProducer<byte[], byte[]> transactionalProducer(KafkaCluster cluster, String transactionalId) {
        Map<String, Object> props = new HashMap<>(cluster.clientProperties());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        p.initTransactions();
        return p;
    }

    static ProducerRecord<byte[], byte[]> record(String topic, int partition, long timestamp, String key, String value,
                                                 String id) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, partition, timestamp,
            key == null ? null : key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        if (id != null) {
            r.headers().add(TurnoutHeaders.ID, id.getBytes(StandardCharsets.UTF_8));
        }
        return r;
    }

    /** Every committed record of a partition, in order. */
    static List<Seen> readAll(KafkaCluster cluster, String topic, int partition) {
        return readFrom(cluster, new TopicPartition(topic, partition), -1);
    }

    /** Committed records of a partition from an offset (or from the start when negative) to the end. */
    static List<Seen> readFrom(KafkaCluster cluster, TopicPartition tp, long from) {
        Map<String, Object> props = new HashMap<>(cluster.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<Seen> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(List.of(tp));
            if (from < 0) {
                c.seekToBeginning(List.of(tp));
            } else {
                c.seek(tp, from);
            }
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (c.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(seen(r));
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + tp + " to " + end + " on " + cluster);
                }
            }
        }
        return out;
    }

    static Seen seen(ConsumerRecord<byte[], byte[]> r) {
        return new Seen(r.offset(), r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
            r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8), r.timestamp(),
            header(r, TurnoutHeaders.ID), header(r, TurnoutHeaders.SRC));
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Commits offsets for a group, as a consumer that had read up to them would. */
    static void commit(KafkaCluster cluster, String group, Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        offsets.forEach((tp, o) -> commits.put(tp, new OffsetAndMetadata(o)));
        try (Admin admin = cluster.admin()) {
            admin.alterConsumerGroupOffsets(group, commits).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not commit offsets of " + group + " on " + cluster, e);
        }
    }

    static Map<TopicPartition, Long> committed(KafkaCluster cluster, String group) {
        try (Admin admin = cluster.admin()) {
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                .forEach((tp, om) -> {
                    if (om != null) {
                        out.put(tp, om.offset());
                    }
                });
            return out;
        } catch (Exception e) {
            throw new AssertionError("could not read offsets of " + group + " on " + cluster, e);
        }
    }

    /** A consumer in {@code group} that reads from the committed offsets (earliest when there are none). */
    static KafkaConsumer<byte[], byte[]> groupConsumer(KafkaCluster cluster, String group) {
        Map<String, Object> props = new HashMap<>(cluster.clientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Consumes as group {@code group} (subscribed, like a service) at most {@code perPartition} records of each partition
     * or to the end, then commits what it consumed and leaves the group. Returns what it consumed.
     */
    static List<Seen> consume(KafkaCluster cluster, String group, java.util.Collection<String> topics, long perPartition) {
        List<Seen> seen = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        Map<TopicPartition, Long> taken = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = groupConsumer(cluster, group)) {
            c.subscribe(topics);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Map<TopicPartition, Long> ends = null;
            while (true) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (taken.getOrDefault(tp, 0L) < perPartition) {
                        taken.merge(tp, 1L, Long::sum);
                        seen.add(seen(r).withPartition(r.topic(), r.partition()));
                        commits.put(tp, new OffsetAndMetadata(r.offset() + 1));
                        if (taken.get(tp) == perPartition) {
                            c.pause(List.of(tp));
                        }
                    }
                }
                if (!c.assignment().isEmpty()) {
                    if (ends == null || !ends.keySet().equals(c.assignment())) {
                        ends = c.endOffsets(c.assignment());
                    }
                    boolean done = true;
                    for (TopicPartition tp : c.assignment()) {
                        boolean full = taken.getOrDefault(tp, 0L) >= perPartition;
                        boolean atEnd = !full && c.position(tp) >= ends.get(tp);
                        if (atEnd) {
                            // Caught up: commit the position, past trailing transaction markers, as a consumer would.
                            commits.put(tp, new OffsetAndMetadata(c.position(tp)));
                        }
                        done &= full || atEnd;
                    }
                    if (done) {
                        break;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("group " + group + " could not consume " + topics + " on " + cluster);
                }
            }
            c.commitSync(commits);
        }
        return seen;
    }

    /** Every committed record of the given partitions from the given offsets (the start when absent), one consumer. */
    static Map<TopicPartition, List<Seen>> readMany(KafkaCluster cluster, Map<TopicPartition, Long> from) {
        Map<String, Object> props = new HashMap<>(cluster.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<TopicPartition, List<Seen>> out = new java.util.LinkedHashMap<>();
        from.keySet().forEach(tp -> out.put(tp, new ArrayList<>()));
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(from.keySet());
            from.forEach((tp, o) -> {
                if (o == null || o < 0) {
                    c.seekToBeginning(List.of(tp));
                } else {
                    c.seek(tp, o);
                }
            });
            Map<TopicPartition, Long> ends = c.endOffsets(from.keySet());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ends.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    out.get(new TopicPartition(r.topic(), r.partition())).add(seen(r));
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + from.keySet() + " on " + cluster);
                }
            }
        }
        return out;
    }
}
