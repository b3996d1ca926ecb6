package dev.turnout.core.registry.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * A Confluent-Schema-Registry-compatible REST server for Avro schemas, kept in a compacted Kafka topic.
 *
 * <p>Threads and ownership: each instance owns an admin client, an idempotent producer, one reader thread with its own
 * consumer, and a JDK HTTP server with a small pool of request threads; {@link #close()} stops and closes all of them.
 * {@link #start} returns only once the topic exists, the reader has applied everything the topic held at that moment, and
 * the server is listening, so the first request already sees every schema registered before.
 *
 * <p>Restarts and sharing: all state lives in the topic (default {@code _schemas}); a new instance rebuilds it by reading
 * the topic from the beginning, so ids, versions, deletions and compatibility settings survive restarts. Several
 * instances may share one topic at once: they apply the same log with the same rules, so they agree on every id, and
 * concurrent registrations through different instances are ordered by the log (see {@link RegistryState}).
 *
 * <p>The server listens on 127.0.0.1 unless told otherwise, and never on a wildcard address.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(30);
    private static final int HTTP_THREADS = 8;
    // Distinguishes the clients of several instances in one JVM (client.id must be unique for Kafka's JMX beans).
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final String NODELAY = "sun.net.httpserver.nodelay";

    static {
        // The JDK server sends response headers and body as two TCP segments; with Nagle's algorithm the body then waits
        // for the client's delayed ACK, about 40 ms per request. The server reads this property once, when the first
        // server of the JVM is created, so it is set here, before ours, unless the operator chose otherwise.
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
    }

    private final Settings settings;
    private final HttpServer server;
    private final Deque<AutoCloseable> resources;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedSchemaRegistry(Settings settings, HttpServer server, Deque<AutoCloseable> resources) {
        this.settings = settings;
        this.server = server;
        this.resources = resources;
    }

    /**
     * Creates the topic if missing, replays it, and starts serving. Returns once caught up with the topic and listening.
     *
     * @throws IllegalArgumentException if the host is a wildcard address or cannot be resolved
     * @throws IllegalStateException if Kafka cannot be reached or the port cannot be bound
     */
    public static EmbeddedSchemaRegistry start(Settings settings) {
        return start(settings, null);
    }

    /**
     * As {@link #start(Settings)}, publishing {@code turnout.registry.requests} and {@code turnout.registry.schemas} to
     * {@code meters} (none when null).
     */
    public static EmbeddedSchemaRegistry start(Settings settings, MeterRegistry meters) {
        Objects.requireNonNull(settings, "settings");
        InetAddress address = loopbackOrSpecific(settings.host());
        String instance = "turnout-registry-" + INSTANCES.incrementAndGet();
        // Closed in reverse order of creation, whether start fails half-way or close() is called later.
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            Admin admin = Admin.create(clientConfig(settings, instance + "-admin"));
            resources.push(admin);
            RegistryTopic.ensure(admin, settings.topic(), STARTUP_TIMEOUT);

            RegistryState state = new RegistryState();
            AppliedOffset applied = new AppliedOffset();
            StoreReader reader = new StoreReader(consumerConfig(settings, instance), settings.topic(), state, applied);
            resources.push(reader);
            reader.start();

            KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(settings, instance),
                new StringSerializer(), new StringSerializer());
            resources.push(() -> producer.close(Duration.ofSeconds(5)));

            SchemaStore store = new SchemaStore(settings.topic(), admin, producer, state, applied, OPERATION_TIMEOUT);
            try {
                store.catchUp();
            } catch (RegistryException e) {
                throw new IllegalStateException("Schema registry could not read topic " + settings.topic() + " at "
                    + settings.bootstrap() + ": " + e.getMessage(), e);
            }

            HttpServer server = bind(address, settings.port(), settings.security());
            ExecutorService httpThreads = Executors.newFixedThreadPool(HTTP_THREADS, httpThreadFactory(instance));
            resources.push(httpThreads::shutdownNow);
            resources.push(() -> server.stop(0));
            server.setExecutor(httpThreads);
            HttpContext context = server.createContext("/", new RegistryHttpHandler(new RegistryService(state, store)));
            if (meters != null) {
                context.getFilters().add(RegistryMetrics.bind(meters, state));
            }
            if (settings.security().basicAuth()) {
                RegistrySecurity security = settings.security();
                context.setAuthenticator(new BasicAuthenticator("turnout-schema-registry") {
                    @Override
                    public boolean checkCredentials(String user, String password) {
                        return security.basicAuthUser().equals(user) && security.basicAuthPassword().equals(password);
                    }
                });
            }
            server.start();

            EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(settings, server, resources);
            log.info("Schema registry listening on {} (topic {} on {}, replayed to offset {})", registry.url(),
                settings.topic(), settings.bootstrap(), applied.current());
            return registry;
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    /** The base URL clients use, for example {@code http://127.0.0.1:8081}. */
    public String url() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return (settings.security().keyStore() != null ? "https://" : "http://") + host + ":" + port();
    }

    /** The port the server listens on; the one picked when {@link Settings#port()} was 0. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops the HTTP server, the reader thread and the Kafka clients. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeAll(resources);
            log.info("Schema registry on port {} stopped", server.getAddress().getPort());
        }
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                log.warn("Schema registry: error while closing: {}", e.toString());
            }
        }
    }

    private static InetAddress loopbackOrSpecific(String host) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Schema registry host '" + host + "' does not resolve", e);
        }
        if (address.isAnyLocalAddress()) {
            throw new IllegalArgumentException("Schema registry host '" + host + "' is a wildcard address; it listens"
                + " on one interface only (127.0.0.1 by default)");
        }
        return address;
    }

    private static HttpServer bind(InetAddress address, int port, RegistrySecurity security) {
        try {
            InetSocketAddress socket = new InetSocketAddress(address, port);
            Optional<SSLContext> tls = security.sslContext();
            if (tls.isPresent()) {
                HttpsServer https = HttpsServer.create(socket, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(tls.get()));
                return https;
            }
            return HttpServer.create(socket, 0);
        } catch (IOException e) {
            throw new IllegalStateException("Schema registry could not listen on " + address.getHostAddress() + ":"
                + port + ": " + e.getMessage(), e);
        }
    }

    private static ThreadFactory httpThreadFactory(String instance) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, instance + "-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static Map<String, Object> clientConfig(Settings settings, String clientId) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        config.putAll(settings.kafkaProperties());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        return config;
    }

    private static Map<String, Object> consumerConfig(Settings settings, String instance) {
        Map<String, Object> config = clientConfig(settings, instance + "-reader");
        // Assigned, never subscribed: no group, no commits; every start replays the topic from the beginning.
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return config;
    }

    private static Map<String, Object> producerConfig(Settings settings, String instance) {
        Map<String, Object> config = clientConfig(settings, instance + "-writer");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return config;
    }

    /**
     * Where the registry keeps its schemas and where it listens.
     *
     * @param bootstrap Kafka {@code bootstrap.servers}
     * @param kafkaProperties extra client properties (SASL, TLS, ...) given to every Kafka client the registry creates
     * @param topic the compacted topic holding schemas and settings
     * @param host the address to listen on; never a wildcard
     * @param port the port to listen on; 0 picks a free one
     * @param security basic auth and TLS of the HTTP API; {@link RegistrySecurity#NONE} by default
     */
    public record Settings(String bootstrap, Map<String, Object> kafkaProperties, String topic, String host, int port,
                           RegistrySecurity security) {

        public Settings {
            if (bootstrap == null || bootstrap.isBlank()) {
                throw new IllegalArgumentException("Schema registry needs Kafka bootstrap servers");
            }
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("Schema registry needs a topic name");
            }
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("Schema registry needs a host to listen on");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("Schema registry port must be 0-65535, got " + port);
            }
            kafkaProperties = kafkaProperties == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(kafkaProperties));
            security = security == null ? RegistrySecurity.NONE : security;
        }

        /** Topic {@code _schemas}, host 127.0.0.1, a free port, no extra Kafka properties. */
        public static Settings of(String bootstrap) {
            return new Settings(bootstrap, Map.of(), "_schemas", "127.0.0.1", 0, RegistrySecurity.NONE);
        }

        public Settings withTopic(String topic) {
            return new Settings(bootstrap, kafkaProperties, topic, host, port, security);
        }

        public Settings withPort(int port) {
            return new Settings(bootstrap, kafkaProperties, topic, host, port, security);
        }

        public Settings withHost(String host) {
            return new Settings(bootstrap, kafkaProperties, topic, host, port, security);
        }

        public Settings withKafkaProperties(Map<String, Object> kafkaProperties) {
            return new Settings(bootstrap, kafkaProperties, topic, host, port, security);
        }

        /** Basic auth and TLS for the HTTP API. */
        public Settings withSecurity(RegistrySecurity security) {
            return new Settings(bootstrap, kafkaProperties, topic, host, port, security);
        }

        /** Names the extra Kafka properties but not their values, which may be credentials. */
        @Override
        public String toString() {
            return "Settings[bootstrap=" + bootstrap + ", topic=" + topic + ", host=" + host + ", port=" + port
                + ", kafkaProperties=" + kafkaProperties.keySet() + ", " + security + "]";
        }
    }
}
