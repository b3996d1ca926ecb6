package dev.turnout.capture.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.core.avro.AvroConverter;
import dev.turnout.core.avro.WireFormat;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Writes each batch Debezium hands over, and the source offset reached by it, in one Kafka transaction; only after the
 * commit are the records marked processed, which is what lets the engine flush offsets and the Postgres task confirm
 * the LSN to the slot. A crash before the commit leaves neither changes nor offset in Kafka (read_committed readers
 * see nothing) and the slot not advanced; after it, both are durable.
 *
 * <p>Changes the slot re-sends after a crash between the Kafka commit and the slot's confirmation are recognised by
 * {@link RedeliveryFilter} against the offset committed with the last batch, and not written twice.
 *
 * <p>A key's partition is chosen from its Avro body, not the framed bytes, so a new key schema version cannot move a
 * key to another partition and break per-key order.
 *
 * <p>Called by one engine thread at a time (ordered processing). Owns its producer.
 */
public final class TransactionalChangeWriter
    implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransactionalChangeWriter.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final AvroConverter keyConverter;
    private final AvroConverter valueConverter;
    private final SimpleHeaderConverter headerConverter = new SimpleHeaderConverter();
    private final OffsetCodec offsets;
    private final String offsetsTopic;
    private final TopicCreator topics;
    private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();
    private final Progress progress;
    private final Counter events;
    private final Counter transactions;
    private final Counter skipped;
    private final RecordPositions positions;
    private final RedeliveryFilter redelivered;
    private final byte[] positionKey;

    /** What the writer has committed so far, for status lines and metrics. */
    public static final class Progress {
        final AtomicLong events = new AtomicLong();
        final AtomicLong snapshotRows = new AtomicLong();
        final AtomicReference<String> lastLsn = new AtomicReference<>();
        final AtomicReference<Instant> lastCommitTime = new AtomicReference<>();

        public long events() {
            return events.get();
        }

        public long snapshotRows() {
            return snapshotRows.get();
        }

        public String lastLsn() {
            return lastLsn.get();
        }

        /** The source commit time of the last change written, if any. */
        public Instant lastSourceCommit() {
            return lastCommitTime.get();
        }
    }

    public TransactionalChangeWriter(String engineName, String transactionalId, Map<String, Object> clientProperties,
                                     String registryUrl, CaptureOffsetsTopic offsetsTopic, TopicCreator topics,
                                     String heartbeatTopic, MeterRegistry meters) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Duration.ofMinutes(1).toMillis());
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        // Fences any earlier instance of this pipeline's capture and aborts its open transaction.
        producer.initTransactions();
        Map<String, Object> converterConfig = Map.of("schema.registry.url", registryUrl);
        this.keyConverter = new AvroConverter();
        keyConverter.configure(converterConfig, true);
        this.valueConverter = new AvroConverter();
        valueConverter.configure(converterConfig, false);
        headerConverter.configure(Map.of());
        this.offsets = new OffsetCodec(engineName);
        this.offsetsTopic = offsetsTopic.name();
        this.positions = new RecordPositions(heartbeatTopic::equals);
        this.positionKey = WriterPosition.key(engineName);
        this.redelivered = new RedeliveryFilter(WriterPosition.find(offsetsTopic.readCommitted()));
        this.topics = topics;
        this.progress = new Progress();
        this.events = Counter.builder("turnout.capture.events").description("Changes committed to Kafka")
            .register(meters);
        this.transactions = Counter.builder("turnout.capture.transactions").description("Kafka transactions committed")
            .register(meters);
        this.skipped = Counter.builder("turnout.capture.redelivered")
            .description("Changes the slot re-sent after a crash that Kafka already held, not written again")
            .register(meters);
    }

    public Progress progress() {
        return progress;
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
                            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
        throws InterruptedException {
        if (records.isEmpty()) {
            committer.markBatchFinished();
            return;
        }
        List<SourceRecord> fresh = new ArrayList<>(records.size());
        WriterPosition last = null;
        for (RecordChangeEvent<SourceRecord> event : records) {
            WriterPosition position = positions.next(event.record());
            boolean wasFiltering = redelivered.filtering();
            boolean drop = redelivered.alreadyWritten(position);
            if (wasFiltering && log.isDebugEnabled()) {
                log.debug("{} {} {} key={} offset={}", drop ? "skip" : "keep", position, event.record().topic(),
                    event.record().key(), event.record().sourceOffset());
            }
            if (drop) {
                skipped.increment();
                continue;
            }
            fresh.add(event.record());
            last = position != null ? position : last;
        }
        if (fresh.size() < records.size()) {
            log.info("Capture skipped {} change records the slot re-sent after a restart; Kafka already holds them",
                records.size() - fresh.size());
        }
        if (fresh.isEmpty()) {
            markAll(records, committer);
            return;
        }
        Map<Map<String, ?>, Map<String, ?>> reached = new LinkedHashMap<>();
        long snapshotRows = 0;
        String lastLsn = null;
        Instant lastCommit = null;
        producer.beginTransaction();
        try {
            for (SourceRecord r : fresh) {
                send(r);
                reached.put(r.sourcePartition(), r.sourceOffset());
                Struct source = sourceBlock(r);
                if (source != null) {
                    Object lsn = source.get("lsn");
                    lastLsn = lsn == null ? lastLsn : String.valueOf(lsn);
                    Object ts = source.get("ts_ms");
                    lastCommit = ts instanceof Long millis ? Instant.ofEpochMilli(millis) : lastCommit;
                    Object snapshot = source.get("snapshot");
                    if (snapshot != null && !"false".equals(snapshot.toString())) {
                        snapshotRows++;
                    }
                }
            }
            for (Map.Entry<Map<String, ?>, Map<String, ?>> e : reached.entrySet()) {
                producer.send(new ProducerRecord<>(offsetsTopic, offsets.key(e.getKey()), offsets.value(e.getValue())));
            }
            if (last != null) {
                producer.send(new ProducerRecord<>(offsetsTopic, positionKey, last.value()));
            }
            producer.commitTransaction();
        } catch (RuntimeException e) {
            // Whatever failed (the broker, a converter refused by the registry, a topic that cannot be created), the
            // open transaction must not outlive the batch.
            abortQuietly();
            throw new CaptureWriteException("Could not write " + fresh.size() + " changes to Kafka in one transaction; "
                + "nothing of this batch is visible to read_committed consumers and the slot was not advanced: "
                + e.getMessage(), e);
        }
        markAll(records, committer);
        progress.events.addAndGet(fresh.size());
        progress.snapshotRows.addAndGet(snapshotRows);
        if (lastLsn != null) {
            progress.lastLsn.set(lastLsn);
        }
        if (lastCommit != null) {
            progress.lastCommitTime.set(lastCommit);
        }
        events.increment(fresh.size());
        transactions.increment();
    }

    private static void markAll(List<RecordChangeEvent<SourceRecord>> records,
                                DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
        throws InterruptedException {
        for (RecordChangeEvent<SourceRecord> event : records) {
            committer.markProcessed(event);
        }
        committer.markBatchFinished();
    }

    private void send(SourceRecord r) {
        topics.ensure(r.topic());
        byte[] key = keyConverter.fromConnectData(r.topic(), r.keySchema(), r.key());
        byte[] value = valueConverter.fromConnectData(r.topic(), r.valueSchema(), r.value());
        RecordHeaders headers = new RecordHeaders();
        for (Header h : r.headers()) {
            headers.add(h.key(), headerConverter.fromConnectHeader(r.topic(), h.key(), h.schema(), h.value()));
        }
        Integer partition = r.kafkaPartition() != null ? r.kafkaPartition() : partitionOf(r.topic(), key);
        producer.send(new ProducerRecord<>(r.topic(), partition, r.timestamp(), key, value, headers));
    }

    private Integer partitionOf(String topic, byte[] key) {
        if (key == null) {
            return null;
        }
        int count = partitionCounts.computeIfAbsent(topic, t -> producer.partitionsFor(t).size());
        byte[] body = key.length > WireFormat.HEADER_SIZE && key[0] == WireFormat.MAGIC
            ? Arrays.copyOfRange(key, WireFormat.HEADER_SIZE, key.length) : key;
        return Utils.toPositive(Utils.murmur2(body)) % count;
    }

    private static Struct sourceBlock(SourceRecord r) {
        if (r.value() instanceof Struct value && value.schema().field("source") != null) {
            return value.getStruct("source");
        }
        return null;
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (KafkaException abortFailed) {
            log.warn("Aborting the capture transaction failed too ({}); Kafka aborts it when it times out", abortFailed.toString());
        }
    }

    @Override
    public boolean supportsTombstoneEvents() {
        return true;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        keyConverter.close();
        valueConverter.close();
    }

    /** A batch could not be committed to Kafka; capture stops with nothing of the batch visible. */
    public static final class CaptureWriteException extends RuntimeException {
        CaptureWriteException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
