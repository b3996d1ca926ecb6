package dev.turnout.transform.stream;

import java.time.Duration;
import java.util.HashMap;
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
import dev.turnout.core.avro.AvroSerdeConfig;
import dev.turnout.core.avro.AvroSerializer;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.health.PartHealth;
import dev.turnout.core.health.PartStatus;
import dev.turnout.core.registry.RestSchemaRegistryClient;
import dev.turnout.transform.Mappings;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The transform of one pipeline: a Kafka Streams application ({@code turnout-<pipeline>-transform}) that reads every
 * captured table's CDC topic and writes each change, mapped, to its target table's apply topic, exactly once
 * ({@code processing.guarantee=exactly_once_v2}): apply records, dead letters, the target-key store's changelog and the
 * consumed offsets commit in one Kafka transaction per task and commit interval.
 *
 * <p>Lifecycle: {@link #start()} creates missing topics and starts the Streams threads; {@link #close()} stops them,
 * committing what was processed, and closes the registry client and serdes. More instances with the same pipeline
 * share the CDC partitions between them (one Streams consumer group); an instance that dies is replaced by the others
 * after the group's session timeout, and its open transaction is aborted, so read_committed readers of the apply topics
 * never see a change twice or miss one.
 *
 * <p>Failure: an error Kafka Streams does not survive stops this instance (never silently): {@link #state()} becomes
 * {@code ERROR}, {@link #healthy()} false, {@link #partStatus()} FAILED, {@link #failure()} says why, and one ERROR
 * line is logged. Poison records are not failures; they go to the dead-letter topic. Thread-safe.
 */
public final class TransformService implements PartHealth, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransformService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** Kafka Streams commit interval unless kafka.properties sets one: see {@link #streamsProperties}. */
    static final String COMMIT_INTERVAL_MS = "25";

    private final TransformSettings settings;
    private final List<SourceTable> tables;
    private final String deadLetterTopic;
    private final RestSchemaRegistryClient registry;
    private final ChangeEventDecoder decoder;
    private final AvroSerializer keySerializer;
    private final AvroSerializer valueSerializer;
    private final TransformMetrics metrics;
    private final KafkaStreams streams;
    private final AtomicReference<TransformFailedException> failure = new AtomicReference<>();

    /**
     * A transform for the pipeline {@code config} describes, reading schemas from {@code registryUrl} (the config's
     * {@code schemaRegistry.url}, or the embedded registry the caller runs).
     */
    public static TransformService create(LoadedConfig config, Mappings mappings, String registryUrl,
                                          MeterRegistry meters) {
        return new TransformService(TransformSettings.from(config.config(), registryUrl), mappings, meters);
    }

    /** A transform of every table {@code mappings} holds; nothing runs until {@link #start()}. */
    public TransformService(TransformSettings settings, Mappings mappings, MeterRegistry meters) {
        this.settings = settings;
        this.tables = mappings.all().stream().map(m -> SourceTable.of(settings.pipeline(), m)).toList();
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("the transform of pipeline '" + settings.pipeline() + "' has no tables");
        }
        this.deadLetterTopic = TopicNames.deadLetters(settings.pipeline());
        this.registry = RestSchemaRegistryClient.forUrl(settings.registryUrl());
        this.decoder = new ChangeEventDecoder(registry, settings.registryUrl());
        Map<String, Object> serdeConfig = Map.of(AvroSerdeConfig.URL, settings.registryUrl());
        this.keySerializer = new AvroSerializer(registry);
        keySerializer.configure(serdeConfig, true);
        this.valueSerializer = new AvroSerializer(registry);
        valueSerializer.configure(serdeConfig, false);
        this.metrics = new TransformMetrics(meters);
        Properties properties = streamsProperties(settings);
        Topology topology = TransformTopology.build(new StreamsConfig(properties), tables, deadLetterTopic, decoder,
            keySerializer, valueSerializer, metrics, new DeadLetterLog(deadLetterTopic));
        this.streams = new KafkaStreams(topology, properties);
        streams.setUncaughtExceptionHandler(this::onUncaught);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                log.info("Transform of pipeline '{}' is running", settings.pipeline());
            }
        });
    }

    @SuppressWarnings("deprecation") // the global-handler switch goes in Kafka 5.0, where it is on by default
    static Properties streamsProperties(TransformSettings settings) {
        Properties p = new Properties();
        p.putAll(settings.kafkaProperties());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Under exactly-once, output is invisible to the read_committed applier until the transaction commits, so the
        // commit interval is added to every change's latency. turnout-bench at 5,000 rows/s: Streams' 100 ms default
        // gave p50 338 ms (with other waits since removed), 50 ms p99 180-247 ms, 25 ms p99 141-264 ms with p50 51-57
        // ms and no throughput change beyond run-to-run noise. kafka.properties may still set it.
        p.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        p.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toString());
        p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        // Internal topics (the target-key changelog) get the broker's default replication factor, as Turnout's own do.
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // There is no global store; saying so keeps Kafka Streams from warning about it at every start. Its partition
        // assignor rebuilds a config from the main consumer's settings, so the switch is repeated there.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), true);
        return p;
    }

    /**
     * Creates missing topics (CDC topics as capture would, compacted apply topics, the dead-letter topic) and starts
     * processing. Returns once the Streams threads run; {@link #awaitRunning} waits for partitions to be assigned.
     *
     * @throws IllegalStateException naming the cluster if topics cannot be created (Kafka unreachable, not authorised)
     */
    public synchronized void start() {
        Map<String, Object> admin = new HashMap<>(settings.kafkaProperties());
        admin.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        TopicSetup.ensure(admin, settings.bootstrap(), settings.partitions(),
            tables.stream().map(SourceTable::topic).distinct().toList(),
            tables.stream().map(SourceTable::applyTopic).distinct().toList(), deadLetterTopic);
        streams.start();
        log.info("Transform of pipeline '{}' started: {} table(s) into {} apply topic(s), application id {}",
            settings.pipeline(), tables.size(), tables.stream().map(SourceTable::applyTopic).distinct().count(),
            settings.applicationId());
    }

    private StreamThreadExceptionResponse onUncaught(Throwable error) {
        TransformFailedException stopped = new TransformFailedException("Transform of pipeline '" + settings.pipeline()
            + "' stopped: " + StreamsLifecycle.explain(error, RegistryUnavailableException.class), error);
        if (failure.compareAndSet(null, stopped)) {
            log.error(stopped.getMessage());
        }
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** Kafka Streams' state: CREATED, REBALANCING, RUNNING, PENDING_SHUTDOWN, NOT_RUNNING, PENDING_ERROR or ERROR. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Whether the transform runs (or is rebalancing) and has not failed; what {@code /health} reports. */
    public boolean healthy() {
        KafkaStreams.State state = streams.state();
        return failure.get() == null && (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING);
    }

    /**
     * For {@code /health} and {@code turnout.part.up{part=transform}}: {@code RUNNING} while processing (rebalancing
     * included), {@code STARTING} before its threads run, {@code FAILED} with the reason once it stopped by itself,
     * {@code STOPPED} after {@link #close()}.
     */
    @Override
    public PartStatus partStatus() {
        TransformFailedException failed = failure.get();
        if (failed != null) {
            return PartStatus.failed(failed);
        }
        return switch (streams.state()) {
            case RUNNING, REBALANCING -> PartStatus.running();
            case CREATED -> PartStatus.starting();
            case PENDING_ERROR, ERROR -> PartStatus.failed("Transform of pipeline '" + settings.pipeline()
                + "' stopped on an error (details in the log)");
            default -> PartStatus.stopped();
        };
    }

    /** Waits until the instance is RUNNING (partitions assigned, state restored); false on timeout or failure. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return StreamsLifecycle.awaitRunning(streams, () -> failure.get() != null, timeout);
    }

    /** Why the transform stopped by itself, if it did. */
    public Optional<TransformFailedException> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** The settings this instance runs with. */
    public TransformSettings settings() {
        return settings;
    }

    /** Stops processing (committing what was processed), then closes the serdes and the registry client. */
    @Override
    public synchronized void close() {
        if (!streams.close(CLOSE_TIMEOUT)) {
            log.warn("Transform of pipeline '{}' did not stop within {} s", settings.pipeline(),
                CLOSE_TIMEOUT.toSeconds());
        }
        decoder.close();
        keySerializer.close();
        valueSerializer.close();
        registry.close();
        log.info("Transform of pipeline '{}' stopped", settings.pipeline());
    }
}
