package dev.turnout.reconcile.stream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import dev.turnout.core.avro.AvroConverter;
import dev.turnout.reconcile.compare.Keys;
import dev.turnout.reconcile.compare.TargetTable;
import dev.turnout.schemas.apply.ApplyColumn;
import dev.turnout.schemas.reconcile.ReconcileObservation;
import dev.turnout.schemas.reconcile.Side;
import dev.turnout.transform.MappingEvaluationException;
import dev.turnout.transform.TargetRow;
import dev.turnout.transform.stream.ApplyValues;
import dev.turnout.transform.stream.RowReader;

/**
 * Reads the target's CDC topics (the actual rows, Debezium change events as capture writes them) and forwards each
 * change as an observation of its target key, in the same canonical form as the expected side. The row is read through
 * the target table's copy mapping, so its values take the form a mapping gives them (an unchanged TOASTed value becomes
 * {@code Unavailable}). Debezium's tombstones are skipped: the delete event before each carries the delete. Kafka
 * Streams creates one per task and calls it from that task's thread only.
 */
final class ActualObserver implements Processor<byte[], byte[], Bytes, Output> {

    private final Map<String, TargetTable> byTopic;
    private final Map<String, RowReader> readers = new LinkedHashMap<>();
    private final AvroConverter values;
    private final String registryUrl;
    private final DeadLetters deadLetters;
    private ProcessorContext<Bytes, Output> context;

    ActualObserver(Map<String, TargetTable> byTopic, AvroConverter values, String registryUrl, DeadLetters deadLetters) {
        this.byTopic = byTopic;
        this.values = values;
        this.registryUrl = registryUrl;
        this.deadLetters = deadLetters;
        byTopic.forEach((topic, table) -> readers.put(topic, new RowReader(table.schema().columnNames())));
    }

    @Override
    public void init(ProcessorContext<Bytes, Output> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata()
            .orElseThrow(() -> new IllegalStateException("a target change without topic metadata"));
        TargetTable table = byTopic.get(meta.topic());
        if (table == null) {
            throw new IllegalStateException("record from " + meta.topic() + ", which is not a target CDC topic");
        }
        if (record.value() == null) {
            return;
        }
        ReconcileObservation observation;
        try {
            observation = observe(table, meta.topic(), record.value());
        } catch (PoisonRecordException e) {
            context.forward(deadLetters.of(record, meta, e.getMessage(), e));
            return;
        }
        context.forward(new Record<>(Keys.bytes(table.id(), observation.getKey()), new Output.Observed(observation),
            record.timestamp()));
    }

    private ReconcileObservation observe(TargetTable table, String topic, byte[] value) {
        Struct envelope = envelope(table, topic, value);
        String op = envelope.getString("op");
        boolean delete = "d".equals(op);
        if (!delete && !"c".equals(op) && !"r".equals(op) && !"u".equals(op)) {
            throw new PoisonRecordException(table.id() + ": unsupported change operation '" + op + "' in the target's "
                + "change stream", null);
        }
        Struct image = envelope.schema().field(delete ? "before" : "after") == null ? null
            : envelope.getStruct(delete ? "before" : "after");
        if (image == null) {
            throw new PoisonRecordException(table.id() + ": a '" + op + "' change of the target without its "
                + (delete ? "before" : "after") + " image (is the table's REPLICA IDENTITY NOTHING?)", null);
        }
        Map<String, Object> values;
        try {
            TargetRow row = table.copy().apply(readers.get(topic).read(image)).orElseThrow();
            values = row.values();
        } catch (MappingEvaluationException | IllegalArgumentException e) {
            throw new PoisonRecordException(table.id() + ": the target row cannot be read: " + e.getMessage(), e);
        }
        Map<String, Object> key = new LinkedHashMap<>();
        for (String column : table.key()) {
            Object v = values.get(column);
            if (v == null) {
                throw new PoisonRecordException(table.id() + ": key column " + column + " is null in a change of the "
                    + "target", null);
            }
            key.put(column, v);
        }
        List<ApplyColumn> canonical;
        List<ApplyColumn> columns = new ArrayList<>();
        try {
            canonical = Keys.canonical(ApplyValues.key(key).getColumns());
            if (!delete) {
                for (String column : table.compared()) {
                    if (values.containsKey(column)) {
                        columns.add(new ApplyColumn(column, ApplyValues.toAvro(values.get(column))));
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw new PoisonRecordException(table.id() + ": a value of the target row has no comparable form: "
                + e.getMessage(), e);
        }
        Object guard = values.get(TargetTable.GUARD_COLUMN);
        return new ReconcileObservation(table.id().toString(), Side.ACTUAL, canonical, !delete, columns,
            !delete && guard instanceof Number n ? n.longValue() : null);
    }

    private Struct envelope(TargetTable table, String topic, byte[] value) {
        SchemaAndValue decoded;
        try {
            decoded = values.toConnectData(topic, value);
        } catch (DataException e) {
            RuntimeException failure = DecodeFailures.classify(topic, table.id() + ": the target change", registryUrl, e);
            if (failure instanceof RegistryUnavailableException) {
                throw failure;
            }
            throw (PoisonRecordException) failure;
        }
        if (!(decoded.value() instanceof Struct envelope) || envelope.schema().field("op") == null) {
            throw new PoisonRecordException(table.id() + ": the value is not a Debezium change event (no op field)",
                null);
        }
        return envelope;
    }
}
