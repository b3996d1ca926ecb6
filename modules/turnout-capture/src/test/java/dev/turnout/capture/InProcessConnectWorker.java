package dev.turnout.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.isolation.PluginDesc;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;

/**
 * A Kafka Connect standalone worker in the test JVM, started the way {@code connect-standalone.sh} starts one
 * ({@link ConnectStandalone#startConnect}): plugins discovered from the classpath through their ServiceLoader manifests
 * ({@code plugin.discovery=service_load}), REST on an ephemeral loopback port,
 * source offsets in a file under a temporary directory. The worker's own converters are Connect's JSON converter, so a
 * connector writes Avro only if its own config says so.
 *
 * <p>Threads are the worker's (herder, tasks, REST); {@link #close()} stops them and deletes the offsets file, so a worker
 * never resumes another test's offsets. Connect exits the JVM when it fails to start; while starting, that exit is
 * turned into an exception instead.
 */
final class InProcessConnectWorker implements AutoCloseable {

    private final Connect<StandaloneHerder> connect;
    private final Path dir;

    private InProcessConnectWorker(Connect<StandaloneHerder> connect, Path dir) {
        this.connect = connect;
        this.dir = dir;
    }

    static InProcessConnectWorker start(String bootstrap) {
        Path dir;
        try {
            dir = Files.createTempDirectory("turnout-connect-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> worker = new LinkedHashMap<>();
        worker.put("bootstrap.servers", bootstrap);
        worker.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.put("offset.storage.file.filename", dir.resolve("connect.offsets").toString());
        worker.put("offset.flush.interval.ms", "1000");
        worker.put("listeners", "http://127.0.0.1:0");
        worker.put("rest.advertised.host.name", "127.0.0.1");
        // The strictest discovery, and the one Kafka recommends: a plugin counts only if its jar declares it in a
        // ServiceLoader manifest (no classpath scan, which also makes the worker start seconds sooner).
        worker.put("plugin.discovery", "service_load");
        // What connectors/README.md tells operators to set: the connector file reads the password from the environment.
        worker.put("config.providers", "env");
        worker.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("Kafka Connect failed to start (exit " + code + "): " + message);
        });
        try {
            return new InProcessConnectWorker(new ConnectStandalone().startConnect(worker), dir);
        } finally {
            Exit.resetExitProcedure();
        }
    }

    Herder herder() {
        return connect.herder();
    }

    /** Class names of the connectors, converters, transformations and predicates the worker discovered. */
    Set<String> discoveredPlugins() {
        Plugins plugins = herder().plugins();
        return Stream.of(plugins.connectors(), plugins.converters(), plugins.transformations(), plugins.predicates())
            .flatMap(Set::stream).map(PluginDesc::className).collect(Collectors.toSet());
    }

    /** Creates (or replaces) a connector, as {@code PUT /connectors/{name}/config} does. */
    void putConnector(String name, Map<String, String> config) throws InterruptedException {
        FutureCallback<Herder.Created<ConnectorInfo>> created = new FutureCallback<>();
        herder().putConnectorConfig(name, config, true, created);
        try {
            created.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka Connect rejected connector " + name + ": " + e.getCause().getMessage(),
                e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka Connect did not create connector " + name + " within 60 s", e);
        }
    }

    /**
     * Whether the connector and all its tasks run; throws with the worker's stack trace as soon as the connector or a
     * task has failed, so a broken config fails the test at once instead of at a timeout.
     */
    boolean running(String name) {
        ConnectorStateInfo status = herder().connectorStatus(name);
        if ("FAILED".equals(status.connector().state())) {
            throw new IllegalStateException("Connector " + name + " failed: " + status.connector().trace());
        }
        for (ConnectorStateInfo.TaskState task : status.tasks()) {
            if ("FAILED".equals(task.state())) {
                throw new IllegalStateException("Task " + task.id() + " of " + name + " failed: " + task.trace());
            }
        }
        return "RUNNING".equals(status.connector().state()) && !status.tasks().isEmpty()
            && status.tasks().stream().allMatch(t -> "RUNNING".equals(t.state()));
    }

    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
