package dev.turnout.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A real, single-node Apache Kafka cluster (KRaft, combined broker and controller) running inside this JVM.
 *
 * <p>Storage is formatted with Kafka's own {@code StorageTool} and the node is a {@link KafkaRaftServer}, exactly what
 * {@code kafka-server-start.sh} runs. Both listeners bind 127.0.0.1 on ports chosen at first start and kept for the
 * cluster's life, so {@link #bootstrap()} stays valid across {@link #restart()}. Several clusters may run in one JVM; each
 * has its own data directory, cluster id and ports. The log cleaner's dedupe buffer is kept small so that several fit.
 *
 * <p>Threads: start, stop, restart and close are synchronised; the broker's own threads are Kafka's. {@link #close()}
 * stops the node and deletes the data directory unless the cluster was built on a caller-owned directory.
 */
public final class KafkaCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaCluster.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final int brokerPort;
    private final int controllerPort;
    private final String clusterId;
    private final Map<String, String> overrides;
    private KafkaRaftServer server;

    private KafkaCluster(Builder builder) throws IOException {
        this.name = builder.name;
        this.ownsDataDir = builder.dataDir == null;
        this.dataDir = ownsDataDir ? Files.createTempDirectory("turnout-kafka-" + name + "-") : builder.dataDir;
        this.brokerPort = LoopbackPorts.freePort();
        this.controllerPort = LoopbackPorts.freePort();
        this.clusterId = Uuid.randomUuid().toString();
        this.overrides = Map.copyOf(builder.brokerProperties);
    }

    /** A builder for a cluster; {@link Builder#start()} formats storage and starts the node. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a cluster with default settings and a temporary data directory. */
    public static KafkaCluster start() {
        return builder().start();
    }

    /** {@code host:port} of the broker listener, for {@code bootstrap.servers}. */
    public String bootstrap() {
        return LoopbackPorts.HOST + ":" + brokerPort;
    }

    /** The KRaft cluster id this cluster was formatted with. */
    public String clusterId() {
        return clusterId;
    }

    /** A short name used in logs and directory names. */
    public String name() {
        return name;
    }

    /** The directory holding the metadata log and the topic logs. */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether the node is running. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Client properties pointing at this cluster; callers add their own serializers and settings. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        return props;
    }

    /** A new admin client for this cluster; the caller closes it. */
    public Admin admin() {
        return Admin.create(clientProperties());
    }

    /** Creates a topic, or does nothing if it exists. Waits until the topic is created. */
    public void createTopic(String topic, int partitions, Map<String, String> configs) {
        try (Admin admin = admin()) {
            NewTopic newTopic = new NewTopic(topic, partitions, (short) 1).configs(configs);
            admin.createTopics(List.of(newTopic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create topic " + topic + " on " + bootstrap(), e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not create topic " + topic + " on " + bootstrap(), e);
        }
    }

    private synchronized void startNode(boolean format) {
        if (server != null) {
            return;
        }
        Properties props = brokerProperties();
        Path configFile = dataDir.resolve("server.properties");
        try {
            if (format) {
                writeProperties(props, configFile);
                format(configFile);
            }
            KafkaConfig config = KafkaConfig.fromProps(props, false);
            KafkaRaftServer node = new KafkaRaftServer(config, Time.SYSTEM);
            node.startup();
            server = node;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start Kafka cluster '" + name + "' in " + dataDir, e);
        }
        awaitReady();
        log.info("Kafka cluster '{}' up at {} (data {})", name, bootstrap(), dataDir);
    }

    private void format(Path configFile) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc;
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", configFile.toString()}, print);
        }
        if (rc != 0) {
            throw new IllegalStateException("kafka-storage format failed for cluster '" + name + "' (exit " + rc + "): "
                + out.toString(StandardCharsets.UTF_8).strip());
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                }
                pause(Duration.ofMillis(100));
            }
        }
        throw new IllegalStateException("Kafka cluster '" + name + "' at " + bootstrap() + " did not become ready within "
            + READY_TIMEOUT.toSeconds() + " s", last);
    }

    private static void pause(Duration backoff) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka to start", e);
        }
    }

    private Properties brokerProperties() {
        Properties p = new Properties();
        String host = LoopbackPorts.HOST;
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + host + ":" + brokerPort + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("logs").toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "3");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Several clusters share one JVM's heap: the default 128 MiB dedupe buffer each would not fit.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        p.put("log.cleaner.io.buffer.size", String.valueOf(256 * 1024));
        p.put("log.cleaner.backoff.ms", "1000");
        p.putAll(overrides);
        return p;
    }

    private static void writeProperties(Properties props, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, "Written by Turnout's testkit");
        }
    }

    /** Stops the node and waits for its shutdown; data stays in {@link #dataDir()}. Idempotent. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        KafkaRaftServer node = server;
        server = null;
        node.shutdown();
        node.awaitShutdown();
        log.info("Kafka cluster '{}' stopped", name);
    }

    /** Stops the node if it runs, then starts it again on the same data directory and ports. */
    public synchronized void restart() {
        stop();
        startNode(false);
    }

    /** Stops the node and removes the data directory if this cluster created it. */
    @Override
    public synchronized void close() {
        stop();
        if (ownsDataDir) {
            Directories.deleteRecursively(dataDir);
        }
    }

    @Override
    public String toString() {
        return "KafkaCluster[" + name + " " + bootstrap() + "]";
    }

    /** Settings for a {@link KafkaCluster}. */
    public static final class Builder {
        private String name = "kafka";
        private Path dataDir;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /** Names the cluster in logs and in its temporary directory's name. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Uses a caller-owned data directory, which {@link KafkaCluster#close()} then keeps. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Overrides one broker property (e.g. {@code auto.create.topics.enable}). */
        public Builder brokerProperty(String key, String value) {
            if (Set.of("listeners", "advertised.listeners", "controller.quorum.voters", "node.id").contains(key)) {
                throw new IllegalArgumentException(key + " is chosen by the testkit to keep the node on loopback");
            }
            brokerProperties.put(key, value);
            return this;
        }

        /** Formats storage and starts the node; returns once the broker answers metadata requests. */
        public KafkaCluster start() {
            KafkaCluster cluster;
            try {
                cluster = new KafkaCluster(this);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not create a data directory for Kafka cluster '" + name + "'", e);
            }
            cluster.startNode(true);
            return cluster;
        }
    }
}
