package dev.turnout.reconcile.stream;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.core.TopicNames;
import dev.turnout.core.avro.AvroConverter;
import dev.turnout.core.avro.AvroSerdeConfig;
import dev.turnout.core.registry.RestSchemaRegistryClient;
import dev.turnout.reconcile.ReconcileFailedException;
import dev.turnout.reconcile.ReconcileSettings;
import dev.turnout.reconcile.compare.TargetTable;
import dev.turnout.transform.stream.StreamsLifecycle;

/**
 * The reconcile topology running as the Kafka Streams application {@code turnout-<pipeline>-reconcile}
 * ({@code processing.guarantee=exactly_once_v2}): statuses, summaries, the state stores' changelogs and the consumed
 * offsets commit in one Kafka transaction per task and commit interval. Also follows the summary topic
 * ({@link SummaryReader}).
 *
 * <p>Lifecycle: {@link #start()} creates missing topics and starts the Streams threads; {@link #close()} stops them and
 * closes the serdes and the registry client. An error Kafka Streams does not survive stops this instance: state
 * {@code ERROR}, one ERROR line, {@link #failure()} says why. Thread-safe.
 */
public final class ReconcileStreams implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReconcileStreams.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final ReconcileSettings settings;
    private final List<TargetTable> tables;
    private final ReconcileTopology.Topics topics;
    private final RestSchemaRegistryClient registry;
    private final AvroSerdes serdes;
    private final AvroConverter targetValues;
    private final KafkaStreams streams;
    private final SummaryReader summaries;
    private final AtomicReference<ReconcileFailedException> failure = new AtomicReference<>();

    public ReconcileStreams(ReconcileSettings settings, List<TargetTable> tables) {
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("reconciliation of pipeline '" + settings.pipeline() + "' has no tables");
        }
        this.settings = settings;
        this.tables = List.copyOf(tables);
        this.topics = topics(settings.pipeline(), tables);
        this.registry = RestSchemaRegistryClient.forUrl(settings.registryUrl());
        this.serdes = new AvroSerdes(registry, settings.registryUrl());
        this.targetValues = new AvroConverter(registry);
        targetValues.configure(Map.of(AvroSerdeConfig.URL, settings.registryUrl()), false);
        Properties properties = streamsProperties(settings);
        Topology topology = ReconcileTopology.build(properties, topics, tables, settings.grace(), serdes, targetValues,
            settings.registryUrl());
        this.streams = new KafkaStreams(topology, properties);
        streams.setUncaughtExceptionHandler(this::onUncaught);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                log.info("Reconciliation of pipeline '{}' is running", settings.pipeline());
            }
        });
        this.summaries = new SummaryReader(topics.summary(), client(settings), serdes.deserializer(false),
            settings.pipeline());
    }

    /** The topics of the pipeline's reconciliation: what it reads (apply, target CDC) and writes. */
    public static ReconcileTopology.Topics topics(String pipeline, List<TargetTable> tables) {
        Map<String, TargetTable> expected = new LinkedHashMap<>();
        Map<String, TargetTable> actual = new LinkedHashMap<>();
        Map<TargetTable, String> status = new LinkedHashMap<>();
        for (TargetTable t : tables) {
            expected.put(TopicNames.apply(pipeline, t.id()), t);
            actual.put(TopicNames.cdc(TopicNames.targetCapture(pipeline), t.id()), t);
            status.put(t, TopicNames.reconcile(pipeline, t.id()));
        }
        return new ReconcileTopology.Topics(expected, actual, status, TopicNames.reconcileSummary(pipeline),
            TopicNames.deadLetters(pipeline));
    }

    @SuppressWarnings("deprecation") // the global-handler switch goes in Kafka 5.0, where it is on by default
    private static Properties streamsProperties(ReconcileSettings settings) {
        Properties p = new Properties();
        p.putAll(settings.kafkaProperties());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toString());
        p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), true);
        return p;
    }

    private static Map<String, Object> client(ReconcileSettings settings) {
        Map<String, Object> client = new HashMap<>(settings.kafkaProperties());
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        return client;
    }

    /**
     * Creates missing topics and starts processing and the summary reader.
     *
     * @throws IllegalStateException naming the cluster if topics cannot be created
     */
    public synchronized void start() {
        List<String> plain = new java.util.ArrayList<>(topics.actual().keySet());
        plain.add(topics.deadLetters());
        List<String> compacted = new java.util.ArrayList<>(topics.expected().keySet());
        compacted.addAll(topics.status().values());
        TopicSetup.ensure(client(settings), settings.bootstrap(), settings.partitions(), plain, compacted,
            topics.summary());
        streams.start();
        summaries.start();
        log.info("Reconciliation of pipeline '{}' started: {} table(s), grace {}, application id {}",
            settings.pipeline(), tables.size(), settings.grace(), settings.applicationId());
    }

    private StreamThreadExceptionResponse onUncaught(Throwable error) {
        ReconcileFailedException stopped = new ReconcileFailedException("Reconciliation of pipeline '"
            + settings.pipeline() + "' stopped: " + StreamsLifecycle.explain(error, RegistryUnavailableException.class),
            error);
        if (failure.compareAndSet(null, stopped)) {
            log.error(stopped.getMessage());
        }
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** Kafka Streams' state. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Why processing stopped by itself, if it did. */
    public Optional<ReconcileFailedException> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Waits until the instance is RUNNING; false on timeout or failure. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return StreamsLifecycle.awaitRunning(streams, () -> failure.get() != null, timeout);
    }

    /** The summaries read back from the summary topic. */
    public SummaryReader summaries() {
        return summaries;
    }

    /** The reconciled tables. */
    public List<TargetTable> tables() {
        return tables;
    }

    @Override
    public synchronized void close() {
        if (!streams.close(CLOSE_TIMEOUT)) {
            log.warn("Reconciliation of pipeline '{}' did not stop within {} s", settings.pipeline(),
                CLOSE_TIMEOUT.toSeconds());
        }
        summaries.close();
        targetValues.close();
        serdes.close();
        registry.close();
    }
}
