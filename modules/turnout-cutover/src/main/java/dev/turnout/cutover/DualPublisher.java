package dev.turnout.cutover;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

import dev.turnout.cutover.internal.Journal;
import dev.turnout.cutover.internal.JournalEntry;
import dev.turnout.cutover.internal.SecondaryShipper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Publishes each record to a primary cluster (say Redpanda) and a secondary cluster (say Kafka) so that a consumer
 * group can later be moved between them exactly ({@code turnout cutover}).
 *
 * <p>Both copies of a record go to the same partition number (computed once from the serialized key with the primary's
 * partition count, murmur2 as Kafka's default partitioner; round-robin for null keys), with the same timestamp, the same
 * bytes, and the same {@code turnout.id} header (a UUIDv7). Both producers are idempotent.
 *
 * <p>In {@link PublishMode#DUAL}, {@link #send} completes when the primary has acknowledged the record and its copy for
 * the secondary is in the journal on disk. A secondary failure never fails the send: a background thread ships the
 * journal to the secondary in order, retrying through outages; see {@link #pending()}. The journal is bounded: when
 * {@code journalCapacity} records are unacknowledged, {@link #send} throws {@link JournalFullException} and publishes
 * nothing. Switching modes at run time ({@link #mode(PublishMode)}) keeps order: SECONDARY_ONLY records queue behind
 * journaled ones.
 *
 * <p>Threads: {@link #send} and {@link #mode} are thread-safe. The publisher owns two producers, a journal writer thread
 * and a shipper thread; {@link #close()} stops them. On restart with the same journal directory, records the secondary
 * had not acknowledged are shipped again, after checking which of them it already has, so none is written twice. A crash
 * between the primary's acknowledgement and the journal write leaves that record on the primary only (its send never
 * completed); {@code turnout offsets translate} lists such records.
 *
 * <p>A record the secondary rejects for good (say, larger than its {@code max.message.bytes}) is never dropped: it is
 * retried, counted in {@code turnout.publisher.secondary.failed} and logged, and it holds the journal until the cause is
 * fixed (records behind it may reach the secondary meanwhile), so the journal eventually fills and sends fail loudly.
 * Publisher names must be unique per meter registry.
 *
 * <p>Metrics (Micrometer, tag {@code publisher}): {@code turnout.publisher.secondary.pending},
 * {@code turnout.publisher.secondary.failed}, {@code turnout.publisher.secondary.retried},
 * {@code turnout.publisher.sent} (tag {@code cluster=primary|secondary}), {@code turnout.publisher.journal.full}.
 */
public final class DualPublisher<K, V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DualPublisher.class);

    private final String name;
    private final Serializer<K> keySerializer;
    private final Serializer<V> valueSerializer;
    private final Serializer<V> secondaryValueSerializer;
    private final KafkaProducer<byte[], byte[]> primary;
    private final KafkaProducer<byte[], byte[]> secondaryMetadata;
    private final Journal journal;
    private final SecondaryShipper shipper;
    private final Thread shipperThread;
    private final TimeBasedEpochGenerator ids = Generators.timeBasedEpochGenerator();
    private final Map<String, Integer> primaryPartitions = new ConcurrentHashMap<>();
    private final Map<String, Integer> secondaryPartitions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();
    private final Counter sentPrimary;
    private final Counter journalFull;
    private volatile PublishMode mode;

    private DualPublisher(Builder<K, V> b) {
        this.name = b.name;
        this.keySerializer = b.keySerializer;
        this.valueSerializer = b.valueSerializer;
        this.secondaryValueSerializer = b.secondaryValueSerializer == null ? b.valueSerializer : b.secondaryValueSerializer;
        this.mode = b.mode;
        this.primary = new KafkaProducer<>(producerProps(b.primary, name + "-primary"), new ByteArraySerializer(),
            new ByteArraySerializer());
        Map<String, Object> secondaryProps = secondaryProducerProps(b.secondary, name + "-secondary");
        // Partition lookups for SECONDARY_ONLY, apart from the shipper's producer so they never wait behind it.
        this.secondaryMetadata = new KafkaProducer<>(secondaryProducerProps(b.secondary, name + "-secondary-metadata"),
            new ByteArraySerializer(), new ByteArraySerializer());
        this.journal = new Journal(name, b.journalDir, b.journalCapacity);
        MeterRegistry registry = b.registry;
        this.sentPrimary = Counter.builder("turnout.publisher.sent").tag("publisher", name).tag("cluster", "primary")
            .description("Records acknowledged by the cluster").register(registry);
        Counter sentSecondary = Counter.builder("turnout.publisher.sent").tag("publisher", name).tag("cluster", "secondary")
            .description("Records acknowledged by the cluster").register(registry);
        Counter failed = Counter.builder("turnout.publisher.secondary.failed").tag("publisher", name)
            .description("Attempts to send to the secondary that failed (records stay journaled)").register(registry);
        Counter retried = Counter.builder("turnout.publisher.secondary.retried").tag("publisher", name)
            .description("Records sent to the secondary again after a failure").register(registry);
        this.journalFull = Counter.builder("turnout.publisher.journal.full").tag("publisher", name)
            .description("Records refused because the secondary journal was full").register(registry);
        Gauge.builder("turnout.publisher.secondary.pending", journal, Journal::pending).tag("publisher", name)
            .description("Records the secondary has not acknowledged yet").register(registry);
        Gauge.builder("turnout.publisher.journal.capacity", journal, Journal::capacity).tag("publisher", name)
            .description("Most records the journal holds before sends are refused").register(registry);
        Map<String, Object> clientProps = clientProps(b.secondary);
        this.shipper = new SecondaryShipper(name, journal,
            () -> new KafkaProducer<>(secondaryProps, new ByteArraySerializer(), new ByteArraySerializer()),
            clientProps, new SecondaryShipper.Listener() {
                @Override
                public void sent() {
                    sentSecondary.increment();
                }

                @Override
                public void failed() {
                    failed.increment();
                }

                @Override
                public void retried(int records) {
                    retried.increment(records);
                }
            }, b.retryBackoff);
        this.shipperThread = new Thread(shipper, "turnout-publisher-" + name + "-secondary");
        shipperThread.setDaemon(true);
        shipperThread.start();
        log.info("Publisher {} started in mode {} (journal {}, capacity {})", name, mode, b.journalDir, b.journalCapacity);
    }

    public static <K, V> Builder<K, V> builder(Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        return new Builder<>(keySerializer, valueSerializer);
    }

    /**
     * Publishes one record according to the current mode. The record's partition, if set, is used on both clusters;
     * otherwise it is computed from the key. A {@code turnout.id} header set by the caller is replaced.
     *
     * @throws JournalFullException when the secondary journal is full (nothing was published)
     */
    public CompletableFuture<PublishResult> send(ProducerRecord<K, V> record) {
        PublishMode m = mode;
        String topic = record.topic();
        List<Header> headers = new ArrayList<>();
        for (Header h : record.headers()) {
            if (!TurnoutHeaders.ID.equals(h.key())) {
                headers.add(new RecordHeader(h.key(), h.value()));
            }
        }
        String id = m == PublishMode.PRIMARY_ONLY ? null : ids.generate().toString();
        if (id != null) {
            headers.add(new RecordHeader(TurnoutHeaders.ID, id.getBytes(StandardCharsets.UTF_8)));
        }
        RecordHeaders serializerHeaders = new RecordHeaders(headers);
        byte[] key = keySerializer.serialize(topic, serializerHeaders, record.key());
        byte[] value = valueSerializer.serialize(topic, serializerHeaders, record.value());
        long timestamp = record.timestamp() != null ? record.timestamp() : System.currentTimeMillis();
        int partition = record.partition() != null ? record.partition()
            : partitionFor(topic, key, m == PublishMode.SECONDARY_ONLY ? secondaryMetadata : primary,
                m == PublishMode.SECONDARY_ONLY ? secondaryPartitions : primaryPartitions);
        if (m == PublishMode.PRIMARY_ONLY) {
            return sendPrimary(topic, partition, timestamp, key, value, headers, null, m, null);
        }
        byte[] secondaryValue = secondaryValueSerializer == valueSerializer ? value
            : secondaryValueSerializer.serialize(topic, serializerHeaders, record.value());
        reserve();
        if (m == PublishMode.SECONDARY_ONLY) {
            CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
            JournalEntry entry = new JournalEntry(topic, partition, timestamp, key, secondaryValue, headers, id, acknowledged);
            return journal.append(entry).thenCompose(x -> acknowledged)
                .thenApply(md -> new PublishResult(m, id, partition, timestamp, null, md));
        }
        JournalEntry entry = new JournalEntry(topic, partition, timestamp, key, secondaryValue, headers, id, null);
        return sendPrimary(topic, partition, timestamp, key, value, headers, id, m, entry);
    }

    private CompletableFuture<PublishResult> sendPrimary(String topic, int partition, long timestamp, byte[] key,
                                                         byte[] value, List<Header> headers, String id, PublishMode m,
                                                         JournalEntry entry) {
        CompletableFuture<PublishResult> result = new CompletableFuture<>();
        try {
            primary.send(new ProducerRecord<>(topic, partition, timestamp, key, value, headers), (md, error) -> {
                if (error != null) {
                    if (entry != null) {
                        journal.release();
                    }
                    result.completeExceptionally(error);
                    return;
                }
                sentPrimary.increment();
                PublishResult published = new PublishResult(m, id, partition, timestamp, md, null);
                if (entry == null) {
                    result.complete(published);
                } else {
                    // Appended in the primary's acknowledgement order, which is per-partition send order.
                    journal.append(entry).whenComplete((x, journalError) -> {
                        if (journalError == null) {
                            result.complete(published);
                        } else {
                            result.completeExceptionally(new IllegalStateException("Record " + id + " is on the primary "
                                + "but could not be journaled for the secondary: " + journalError.getMessage(),
                                journalError));
                        }
                    });
                }
            });
        } catch (RuntimeException e) {
            if (entry != null) {
                journal.release();
            }
            throw e;
        }
        return result;
    }

    private void reserve() {
        try {
            journal.reserve();
        } catch (JournalFullException e) {
            journalFull.increment();
            throw e;
        }
    }

    private int partitionFor(String topic, byte[] key, KafkaProducer<byte[], byte[]> producer, Map<String, Integer> cache) {
        int count = cache.computeIfAbsent(topic, t -> producer.partitionsFor(t).size());
        if (key == null) {
            return Utils.toPositive(roundRobin.computeIfAbsent(topic, t -> new AtomicInteger()).getAndIncrement()) % count;
        }
        return Utils.toPositive(Utils.murmur2(key)) % count;
    }

    /** The current mode. */
    public PublishMode mode() {
        return mode;
    }

    /** Switches mode for records sent from now on. */
    public void mode(PublishMode next) {
        PublishMode previous = mode;
        mode = Objects.requireNonNull(next, "mode");
        log.info("Publisher {}: mode {} -> {}", name, previous, next);
    }

    /** Stops shipping to the secondary; records keep being journaled (up to the capacity). */
    public void pauseSecondary() {
        shipper.pause(true);
        log.info("Publisher {}: shipping to the secondary paused; records are journaled", name);
    }

    /** Resumes shipping journaled records to the secondary, in order. */
    public void resumeSecondary() {
        shipper.pause(false);
        log.info("Publisher {}: shipping to the secondary resumed ({} pending)", name, journal.pending());
    }

    /** Records the secondary has not acknowledged yet. */
    public int pending() {
        return journal.pending();
    }

    /** Waits until the secondary has acknowledged every journaled record; false if {@code wait} passed first. */
    public boolean awaitSecondary(Duration wait) {
        return journal.awaitEmpty(wait);
    }

    /** Sends everything buffered to the primary and waits until journal copies are on disk. */
    public void flush() {
        primary.flush();
        journal.awaitDurable(Duration.ofSeconds(30));
    }

    /**
     * Flushes, then stops the shipper and closes both producers. Records the secondary has not acknowledged stay in the
     * journal and are shipped by the next publisher opened on the same journal directory.
     */
    @Override
    public void close() {
        primary.flush();
        primary.close(Duration.ofSeconds(30));
        journal.awaitDurable(Duration.ofSeconds(30));
        shipper.stop();
        try {
            shipperThread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        secondaryMetadata.close(Duration.ofSeconds(5));
        journal.close();
        log.info("Publisher {} closed ({} record(s) left for the secondary in the journal)", name, journal.pending());
    }

    private static Map<String, Object> producerProps(Map<String, Object> user, String clientId) {
        Map<String, Object> props = new HashMap<>(user);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        props.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        return props;
    }

    private static Map<String, Object> secondaryProducerProps(Map<String, Object> user, String clientId) {
        Map<String, Object> props = producerProps(user, clientId);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        // Outages only delay: the producer retries for ever, and waits at most a second for room or metadata so the
        // shipper can back off (records stay in the journal meanwhile).
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        props.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000);
        return props;
    }

    /** Connection settings only (bootstrap, security), for the admin and consumer that check the secondary. */
    private static Map<String, Object> clientProps(Map<String, Object> user) {
        Map<String, Object> props = new HashMap<>();
        user.forEach((k, v) -> {
            if (k.equals("bootstrap.servers") || k.startsWith("security.") || k.startsWith("sasl.") || k.startsWith("ssl.")
                    || k.equals("client.dns.lookup")) {
                props.put(k, v);
            }
        });
        return props;
    }

    /** Settings of a {@link DualPublisher}. */
    public static final class Builder<K, V> {
        private final Serializer<K> keySerializer;
        private final Serializer<V> valueSerializer;
        private Serializer<V> secondaryValueSerializer;
        private String name = "default";
        private Map<String, Object> primary;
        private Map<String, Object> secondary;
        private Path journalDir;
        private int journalCapacity = 100_000;
        private PublishMode mode = PublishMode.DUAL;
        private MeterRegistry registry = new SimpleMeterRegistry();
        private Duration retryBackoff = Duration.ofMillis(500);

        private Builder(Serializer<K> keySerializer, Serializer<V> valueSerializer) {
            this.keySerializer = Objects.requireNonNull(keySerializer, "keySerializer");
            this.valueSerializer = Objects.requireNonNull(valueSerializer, "valueSerializer");
        }

        /** Names the publisher in logs, metrics and thread names. */
        public Builder<K, V> name(String name) {
            this.name = name;
            return this;
        }

        /** Producer properties of the primary cluster (at least {@code bootstrap.servers}). */
        public Builder<K, V> primary(Map<String, Object> props) {
            this.primary = Map.copyOf(props);
            return this;
        }

        /** Producer properties of the secondary cluster (at least {@code bootstrap.servers}). */
        public Builder<K, V> secondary(Map<String, Object> props) {
            this.secondary = Map.copyOf(props);
            return this;
        }

        /** A value serializer for the secondary, e.g. an Avro serializer registering with the secondary's registry. */
        public Builder<K, V> secondaryValueSerializer(Serializer<V> serializer) {
            this.secondaryValueSerializer = serializer;
            return this;
        }

        /** Where the secondary journal lives (one directory per publisher; reused across restarts). */
        public Builder<K, V> journal(Path dir) {
            this.journalDir = dir;
            return this;
        }

        /** How many records may wait for the secondary before sends are refused. Default 100,000. */
        public Builder<K, V> journalCapacity(int capacity) {
            this.journalCapacity = capacity;
            return this;
        }

        /** The mode at start. Default DUAL. */
        public Builder<K, V> mode(PublishMode mode) {
            this.mode = mode;
            return this;
        }

        public Builder<K, V> meterRegistry(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        /** Pause between attempts while the secondary is unreachable. Default 500 ms. */
        public Builder<K, V> retryBackoff(Duration backoff) {
            this.retryBackoff = backoff;
            return this;
        }

        public DualPublisher<K, V> build() {
            List<String> missing = new ArrayList<>();
            if (primary == null || !primary.containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
                missing.add("primary bootstrap.servers");
            }
            if (secondary == null || !secondary.containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
                missing.add("secondary bootstrap.servers");
            }
            if (journalDir == null) {
                missing.add("journal directory");
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("DualPublisher " + name + " needs " + String.join(", ", missing));
            }
            if (journalCapacity < 1) {
                throw new IllegalArgumentException("journalCapacity must be at least 1, got " + journalCapacity);
            }
            return new DualPublisher<>(this);
        }
    }
}
