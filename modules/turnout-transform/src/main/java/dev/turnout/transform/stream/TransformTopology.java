package dev.turnout.transform.stream;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.state.Stores;

/**
 * The transform's Kafka Streams topology:
 *
 * <pre>
 *   cdc (every CDC topic, raw bytes) ─▶ transform ─┬─▶ apply-&lt;schema.table&gt;  (one sink per target table)
 *                                      (target-keys)└─▶ dead-letters
 * </pre>
 *
 * Records are read as bytes and decoded in the processor, so an undecodable one reaches the dead-letter sink inside the
 * same Streams transaction as everything else. Built once; the topology object is Kafka Streams'.
 */
final class TransformTopology {

    static final String SOURCE = "cdc";
    static final String PROCESSOR = "transform";

    private TransformTopology() {
    }

    /**
     * @param config          the application's Streams config, which the topology's own settings come from
     * @param keySerializer   writes {@code ApplyKey} in the Confluent wire format
     * @param valueSerializer writes {@code ApplyRecord} in the Confluent wire format
     */
    static Topology build(StreamsConfig config, List<SourceTable> tables, String deadLetterTopic, ChangeEventDecoder decoder,
                          Serializer<Object> keySerializer, Serializer<Object> valueSerializer, TransformMetrics metrics,
                          DeadLetterLog deadLetterLog) {
        Map<String, SourceTable> byTopic = new LinkedHashMap<>();
        tables.forEach(t -> byTopic.put(t.topic(), t));
        Topology topology = new Topology(new TopologyConfig(config));
        topology.addSource(AutoOffsetReset.earliest(), SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
            byTopic.keySet().toArray(String[]::new));
        topology.addProcessor(PROCESSOR, () -> new ChangeProcessor(byTopic, decoder, metrics, deadLetterLog), SOURCE);
        if (tables.stream().anyMatch(SourceTable::tracked)) {
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TargetKeyStore.NAME),
                Serdes.Bytes(), Serdes.ByteArray()), PROCESSOR);
        }
        Map<String, String> sinks = new LinkedHashMap<>();
        tables.forEach(t -> sinks.put(t.sink(), t.applyTopic()));
        sinks.forEach((sink, topic) -> topology.addSink(sink, topic, keySerializer, valueSerializer, PROCESSOR));
        topology.addSink(ChangeProcessor.DEAD_LETTER_SINK, deadLetterTopic, new ByteArraySerializer(),
            new ByteArraySerializer(), PROCESSOR);
        return topology;
    }
}
