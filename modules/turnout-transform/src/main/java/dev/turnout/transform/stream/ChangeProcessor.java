package dev.turnout.transform.stream;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import dev.turnout.schemas.apply.Origin;
import dev.turnout.transform.MappingEvaluationException;

/**
 * The topology's one processor: decodes each CDC record, maps it, and forwards its apply records to the sink of the
 * target table, or the record itself to the dead-letter sink when it is poison. Kafka Streams creates one per task and
 * calls it from that task's thread only.
 */
final class ChangeProcessor implements Processor<byte[], byte[], Object, Object> {

    static final String DEAD_LETTER_SINK = "dead-letters";

    private final Map<String, SourceTable> byTopic;
    private final ChangeEventDecoder decoder;
    private final TransformMetrics metrics;
    private final DeadLetterLog deadLetterLog;
    private final boolean anyTracked;
    private ProcessorContext<Object, Object> context;
    private TargetKeyStore store;

    ChangeProcessor(Map<String, SourceTable> byTopic, ChangeEventDecoder decoder, TransformMetrics metrics,
                    DeadLetterLog deadLetterLog) {
        this.byTopic = byTopic;
        this.decoder = decoder;
        this.metrics = metrics;
        this.deadLetterLog = deadLetterLog;
        this.anyTracked = byTopic.values().stream().anyMatch(SourceTable::tracked);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        if (anyTracked) {
            this.store = new TargetKeyStore(context.getStateStore(TargetKeyStore.NAME));
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata()
            .orElseThrow(() -> new IllegalStateException("a CDC record without topic metadata"));
        SourceTable table = byTopic.get(meta.topic());
        if (table == null) {
            throw new IllegalStateException("record from " + meta.topic() + ", which is not a CDC topic of this pipeline");
        }
        if (record.value() == null) {
            // The tombstone Debezium writes after a delete, for compaction; the delete event carried the change.
            return;
        }
        Origin origin = new Origin(meta.topic(), meta.partition(), meta.offset());
        List<ChangePlanner.Emit> emits;
        try {
            ChangeEvent event = decoder.decode(table, meta.topic(), record.key(), record.value());
            emits = ChangePlanner.plan(table, event, origin, store);
        } catch (PoisonRecordException e) {
            deadLetter(record, meta, table, e.kind(), e.getMessage(), e.errorClass());
            return;
        } catch (MappingEvaluationException e) {
            boolean keyColumn = e.column().map(c -> table.mapping().key().contains(c)).orElse(false);
            deadLetter(record, meta, table, keyColumn ? PoisonKind.KEY : PoisonKind.EXPRESSION, e.getMessage(),
                e.getClass().getName());
            return;
        }
        for (ChangePlanner.Emit emit : emits) {
            context.forward(new Record<>(emit.key(), emit.value(), record.timestamp()), emit.sink());
        }
        metrics.record(table.id(), emits.isEmpty() ? TransformMetrics.Outcome.FILTERED : TransformMetrics.Outcome.APPLIED);
    }

    private void deadLetter(Record<byte[], byte[]> record, RecordMetadata meta, SourceTable table, PoisonKind kind,
                            String reason, String errorClass) {
        String line = ChangeEventDecoder.oneLine(reason);
        Headers headers = new RecordHeaders(record.headers().toArray());
        header(headers, DeadLetterHeaders.REASON, line);
        header(headers, DeadLetterHeaders.SOURCE_TOPIC, meta.topic());
        header(headers, DeadLetterHeaders.SOURCE_PARTITION, String.valueOf(meta.partition()));
        header(headers, DeadLetterHeaders.SOURCE_OFFSET, String.valueOf(meta.offset()));
        header(headers, DeadLetterHeaders.ERROR_CLASS, errorClass);
        header(headers, DeadLetterHeaders.STAGE, DeadLetterHeaders.TRANSFORM_STAGE);
        context.forward(new Record<Object, Object>(record.key(), record.value(), record.timestamp(), headers),
            DEAD_LETTER_SINK);
        metrics.deadLettered(table.id(), kind);
        deadLetterLog.deadLettered(meta.topic(), meta.partition(), meta.offset(), line);
    }

    private static void header(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
