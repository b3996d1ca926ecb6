package dev.turnout.reconcile.stream;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import dev.turnout.core.avro.AvroDeserializer;
import dev.turnout.reconcile.compare.Keys;
import dev.turnout.reconcile.compare.TargetTable;
import dev.turnout.schemas.apply.ApplyColumn;
import dev.turnout.schemas.apply.ApplyKey;
import dev.turnout.schemas.apply.ApplyOp;
import dev.turnout.schemas.apply.ApplyRecord;
import dev.turnout.schemas.reconcile.ReconcileObservation;
import dev.turnout.schemas.reconcile.Side;

/**
 * Reads the apply topics (the expected rows) and forwards each change as an observation of its target key, keyed by the
 * table and the canonical key, so that it meets the target's view of the same key on one task. Kafka Streams creates
 * one per task and calls it from that task's thread only.
 */
final class ExpectedObserver implements Processor<byte[], byte[], Bytes, Output> {

    private final Map<String, TargetTable> byTopic;
    private final AvroDeserializer keys;
    private final AvroDeserializer values;
    private final String registryUrl;
    private final DeadLetters deadLetters;
    private ProcessorContext<Bytes, Output> context;

    ExpectedObserver(Map<String, TargetTable> byTopic, AvroDeserializer keys, AvroDeserializer values,
                     String registryUrl, DeadLetters deadLetters) {
        this.byTopic = byTopic;
        this.keys = keys;
        this.values = values;
        this.registryUrl = registryUrl;
        this.deadLetters = deadLetters;
    }

    @Override
    public void init(ProcessorContext<Bytes, Output> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata()
            .orElseThrow(() -> new IllegalStateException("an apply record without topic metadata"));
        TargetTable table = byTopic.get(meta.topic());
        if (table == null) {
            throw new IllegalStateException("record from " + meta.topic() + ", which is not an apply topic reconciled");
        }
        if (record.value() == null) {
            return;
        }
        ApplyKey key;
        ApplyRecord value;
        try {
            key = record.key() == null ? null : (ApplyKey) keys.deserialize(meta.topic(), record.key());
            value = (ApplyRecord) values.deserialize(meta.topic(), record.value());
        } catch (SerializationException | ClassCastException e) {
            RuntimeException failure = e instanceof SerializationException s
                ? DecodeFailures.classify(meta.topic(), table.id() + ": the apply record", registryUrl, s)
                : new PoisonRecordException(table.id() + ": the apply record is not an ApplyKey and ApplyRecord ("
                + e.getMessage() + ")", e);
            if (failure instanceof RegistryUnavailableException) {
                throw failure;
            }
            context.forward(deadLetters.of(record, meta, failure.getMessage(), failure));
            return;
        }
        if (key == null || key.getColumns().isEmpty()) {
            PoisonRecordException e = new PoisonRecordException(table.id() + ": the apply record has no key", null);
            context.forward(deadLetters.of(record, meta, e.getMessage(), e));
            return;
        }
        List<ApplyColumn> canonical = Keys.canonical(key.getColumns());
        boolean present = value.getOp() == ApplyOp.UPSERT;
        ReconcileObservation observation = new ReconcileObservation(table.id().toString(), Side.EXPECTED, canonical,
            present, present ? value.getColumns() : List.of(), value.getPosition().getLsn());
        context.forward(new Record<>(Keys.bytes(table.id(), canonical), new Output.Observed(observation),
            record.timestamp()));
    }
}
