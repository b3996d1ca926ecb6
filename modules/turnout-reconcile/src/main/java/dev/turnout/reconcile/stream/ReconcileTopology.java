package dev.turnout.reconcile.stream;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.BranchedKStream;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import dev.turnout.core.avro.AvroConverter;
import dev.turnout.reconcile.compare.TargetTable;
import dev.turnout.schemas.apply.ApplyKey;
import dev.turnout.schemas.reconcile.ReconcileKeyState;
import dev.turnout.schemas.reconcile.ReconcileObservation;
import dev.turnout.schemas.reconcile.ReconcileStatus;
import dev.turnout.schemas.reconcile.ReconcileSummary;
import dev.turnout.schemas.reconcile.ReconcileSummaryPart;

/**
 * The reconcile topology:
 *
 * <pre>
 *   apply topics  ─▶ observe-expected ─┐                          ┌─▶ turnout.&lt;p&gt;.reconcile.&lt;schema&gt;.&lt;table&gt;
 *   target CDC    ─▶ observe-actual  ──┼─▶ by-target-key ─▶ reconcile (reconcile-keys) ─┤
 *   (undecodable records) ─▶ dlq ◀─────┘   (repartition)                               └─▶ summary-parts ─▶ summarise
 *                                                                       (1 partition) (reconcile-summary-parts)
 *                                                                                          ─▶ turnout.&lt;p&gt;.reconcile.summary
 * </pre>
 *
 * Both sides are re-keyed by table and canonical target key and meet on one task through the repartition topic
 * {@code by-target-key}. Records are read as bytes and decoded in the observers, so that an unreadable one reaches
 * the dead-letter sink in the same Streams transaction as everything else.
 */
public final class ReconcileTopology {

    /** Names of the topology's topics, as the service derives them from the pipeline. */
    public record Topics(Map<String, TargetTable> expected, Map<String, TargetTable> actual,
                         Map<TargetTable, String> status, String summary, String deadLetters) {
    }

    private ReconcileTopology() {
    }

    static Topology build(Properties streamsProperties, Topics topics, List<TargetTable> tables, Duration grace,
                          AvroSerdes serdes, AvroConverter targetValues, String registryUrl) {
        StreamsBuilder builder = new StreamsBuilder(new org.apache.kafka.streams.TopologyConfig(
            new org.apache.kafka.streams.StreamsConfig(streamsProperties)));
        DeadLetters deadLetters = new DeadLetters(topics.deadLetters());
        Map<String, TargetTable> byName = new LinkedHashMap<>();
        tables.forEach(t -> byName.put(t.id().toString(), t));

        KStream<Bytes, Output> expected = builder
            .stream(List.copyOf(topics.expected().keySet()),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("expected"))
            .process(() -> new ExpectedObserver(topics.expected(), serdes.deserializer(true), serdes.deserializer(false),
                registryUrl, deadLetters), Named.as("observe-expected"));
        KStream<Bytes, Output> actual = builder
            .stream(List.copyOf(topics.actual().keySet()),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("actual"))
            .process(() -> new ActualObserver(topics.actual(), targetValues, registryUrl, deadLetters),
                Named.as("observe-actual"));

        Map<String, KStream<Bytes, Output>> observed = expected.merge(actual, Named.as("observed"))
            .split(Named.as("observed-"))
            .branch((k, v) -> v instanceof Output.DeadLetter, Branched.as("dead"))
            .defaultBranch(Branched.as("rows"));
        observed.get("observed-dead")
            .map((k, v) -> KeyValue.pair(((Output.DeadLetter) v).key(), ((Output.DeadLetter) v).value()),
                Named.as("dead-letter"))
            .to(topics.deadLetters(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dlq"));

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(KeyReconciler.STORE),
            Serdes.Bytes(), serdes.of(ReconcileKeyState.class, false)));
        KStream<Bytes, Output> results = observed.get("observed-rows")
            .mapValues(v -> ((Output.Observed) v).observation(), Named.as("observation"))
            .repartition(Repartitioned.with(Serdes.Bytes(), serdes.of(ReconcileObservation.class, false))
                .withName("by-target-key"))
            .process(() -> new KeyReconciler(byName, grace), Named.as("reconcile"), KeyReconciler.STORE);

        BranchedKStream<Bytes, Output> routes = results.split(Named.as("result-"));
        for (TargetTable table : tables) {
            String topic = topics.status().get(table);
            routes.branch((k, v) -> v instanceof Output.Status s && s.table() == table, Branched.withConsumer(
                s -> s.map((k, v) -> KeyValue.pair(((Output.Status) v).key(), ((Output.Status) v).status()),
                        Named.as("status-" + table.id()))
                    .to(topic, Produced.with(serdes.of(ApplyKey.class, true), serdes.of(ReconcileStatus.class, false))
                        .withName("to-" + table.id())),
                "status-" + table.id()));
        }
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SummaryAggregator.STORE),
            Serdes.String(), serdes.of(ReconcileSummaryPart.class, false)));
        routes.defaultBranch(Branched.withConsumer(parts -> parts
            .map((k, v) -> KeyValue.pair(((Output.Part) v).part().getTable(), ((Output.Part) v).part()),
                Named.as("part"))
            .repartition(Repartitioned.with(Serdes.String(), serdes.of(ReconcileSummaryPart.class, false))
                .withName("summary-parts").withNumberOfPartitions(1))
            .process(() -> new SummaryAggregator(List.copyOf(byName.keySet())), Named.as("summarise"),
                SummaryAggregator.STORE)
            .to(topics.summary(), Produced.with(Serdes.String(), serdes.of(ReconcileSummary.class, false))
                .withName("to-summary")), "parts"));
        return builder.build(streamsProperties);
    }
}
