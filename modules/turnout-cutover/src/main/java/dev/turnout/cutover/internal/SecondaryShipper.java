package dev.turnout.cutover.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.cutover.TurnoutHeaders;

/**
 * The thread that ships journal entries to the secondary cluster, strictly in journal order, through an idempotent
 * producer that retries for ever (so an outage only delays, and the broker drops the producer's own retries).
 *
 * <p>When a send fails for good (a fatal producer error) the producer is replaced, and before shipping again the
 * secondary is asked which unacknowledged records it already holds (by {@code turnout.id}, from the time-indexed offset
 * of the oldest): those are acknowledged instead of being written twice. The same check runs at start for records
 * recovered from the journal after a crash. Owns its producer; started and stopped by the {@code DualPublisher}.
 */
public final class SecondaryShipper implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(SecondaryShipper.class);
    private static final Duration IDLE = Duration.ofMillis(100);

    /** Counters the publisher exposes as metrics. */
    public interface Listener {
        void sent();

        void failed();

        void retried(int records);
    }

    private final String name;
    private final Journal journal;
    private final Supplier<KafkaProducer<byte[], byte[]>> producers;
    private final Map<String, Object> clientProperties;
    private final Listener listener;
    private final Duration backoff;
    private final Map<String, Integer> partitionCounts = new HashMap<>();
    private volatile boolean running = true;
    private volatile boolean resetNeeded;
    private volatile int generation;
    private KafkaProducer<byte[], byte[]> producer;

    public SecondaryShipper(String name, Journal journal, Supplier<KafkaProducer<byte[], byte[]>> producers,
                            Map<String, Object> clientProperties, Listener listener, Duration backoff) {
        this.name = name;
        this.journal = journal;
        this.producers = producers;
        this.clientProperties = clientProperties;
        this.listener = listener;
        this.backoff = backoff;
    }

    public void pause(boolean pause) {
        journal.pause(pause);
    }

    public boolean isPaused() {
        return journal.isPaused();
    }

    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        producer = producers.get();
        resetNeeded = !journal.unackedEntries().isEmpty();
        while (running) {
            try {
                if (resetNeeded) {
                    if (!reset()) {
                        sleep(backoff);
                        continue;
                    }
                }
                JournalEntry entry = journal.next(IDLE);
                if (entry == null) {
                    journal.persistWatermark();
                    continue;
                }
                ship(entry);
            } catch (RuntimeException e) {
                log.warn("Publisher {}: shipping to the secondary failed: {}", name, e.toString());
                sleep(backoff);
            }
        }
        journal.persistWatermark();
        producer.close(Duration.ofSeconds(5));
    }

    private void ship(JournalEntry entry) {
        try {
            checkPartition(entry);
            int gen = generation;
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(entry.topic, entry.partition, entry.timestamp,
                entry.key, entry.value, entry.headers);
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    journal.acked(entry);
                    listener.sent();
                    if (entry.acknowledged != null) {
                        entry.acknowledged.complete(metadata);
                    }
                } else if (gen == generation) {
                    listener.failed();
                    if (!resetNeeded) {
                        log.warn("Publisher {}: the secondary rejected a record for {}-{}: {}; replacing the producer and "
                            + "shipping again from the oldest unacknowledged record", name, entry.topic, entry.partition,
                            error.toString());
                    }
                    resetNeeded = true;
                }
            });
        } catch (KafkaException e) {
            // Not handed over (metadata or buffer wait timed out: the secondary is down). Keep the order: retry this one.
            journal.pushBack(entry);
            listener.failed();
            log.debug("Publisher {}: secondary not accepting records ({}); retrying in {} ms", name, e.getMessage(),
                backoff.toMillis());
            sleep(backoff);
        }
    }

    private void checkPartition(JournalEntry entry) {
        Integer count = partitionCounts.get(entry.topic);
        if (count == null) {
            List<PartitionInfo> partitions = producer.partitionsFor(entry.topic);
            count = partitions.size();
            partitionCounts.put(entry.topic, count);
        }
        if (entry.partition >= count) {
            partitionCounts.remove(entry.topic);
            throw new KafkaException("topic " + entry.topic + " has " + count + " partition(s) on the secondary but "
                + "the record is for partition " + entry.partition + " (the primary has more); run 'turnout topics sync'");
        }
    }

    /** Replaces the producer and acknowledges what the secondary already has; false to try again later. */
    private boolean reset() {
        generation++;
        producer.close(Duration.ZERO);
        producer = producers.get();
        List<JournalEntry> unacked = journal.unackedEntries();
        if (!unacked.isEmpty()) {
            Set<String> present;
            try {
                present = presentIds(unacked);
            } catch (RuntimeException e) {
                log.debug("Publisher {}: cannot ask the secondary which records it has yet: {}", name, e.toString());
                return false;
            }
            int already = 0;
            for (JournalEntry e : unacked) {
                if (e.id != null && present.contains(e.id)) {
                    journal.acked(e);
                    already++;
                    if (e.acknowledged != null) {
                        e.acknowledged.complete(null);
                    }
                }
            }
            List<JournalEntry> again = journal.rewind();
            listener.retried(again.size());
            log.info("Publisher {}: {} unacknowledged record(s) were already on the secondary; shipping {} again in order",
                name, already, again.size());
        } else {
            journal.rewind();
        }
        resetNeeded = false;
        return true;
    }

    /** The turnout.ids the secondary holds from the oldest unacknowledged record's timestamp on, per partition. */
    private Set<String> presentIds(List<JournalEntry> unacked) {
        Map<TopicPartition, Long> oldest = new HashMap<>();
        for (JournalEntry e : unacked) {
            oldest.merge(new TopicPartition(e.topic, e.partition), e.timestamp, Math::min);
        }
        Map<String, Object> props = new HashMap<>(clientProperties);
        Set<String> ids = new HashSet<>();
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
            oldest.forEach((tp, ts) -> specs.put(tp, OffsetSpec.forTimestamp(ts)));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> from =
                admin.listOffsets(specs).all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            oldest.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> to =
                admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                Map<TopicPartition, Long> ends = new HashMap<>();
                from.forEach((tp, info) -> {
                    if (info.offset() >= 0 && info.offset() < to.get(tp).offset()) {
                        ends.put(tp, to.get(tp).offset());
                    }
                });
                consumer.assign(ends.keySet());
                ends.keySet().forEach(tp -> consumer.seek(tp, from.get(tp).offset()));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (ends.keySet().stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        Header h = r.headers().lastHeader(TurnoutHeaders.ID);
                        if (h != null) {
                            ids.add(new String(h.value(), StandardCharsets.UTF_8));
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        throw new KafkaException("reading the secondary's recent records took over 60 s");
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new KafkaException("cannot read the secondary: " + e.getMessage(), e);
        }
        return ids;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
