package dev.turnout.app.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import dev.turnout.core.registry.embedded.EmbeddedSchemaRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code turnout registry serve --bootstrap B [--port P]}: serves the Confluent Schema Registry REST API, storing schemas
 * in a compacted topic of the given cluster, until interrupted (Ctrl-C). Several instances on one cluster agree on ids.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve the schema registry REST API, storing schemas in a compacted topic, until Ctrl-C.")
final class RegistryServeCommand implements Callable<Integer> {

    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT[,...]",
        description = "Kafka or Redpanda cluster that holds the schemas topic.")
    String bootstrap;

    @Option(names = "--port", defaultValue = "8081", paramLabel = "PORT",
        description = "Port to listen on (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
        description = "Address to listen on. Default: ${DEFAULT-VALUE} (loopback only).")
    String host;

    @Option(names = "--topic", defaultValue = "_schemas", paramLabel = "TOPIC",
        description = "Compacted topic the schemas are stored in. Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
        description = "A Kafka client property for the schemas topic (SASL, TLS); repeatable.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() {
        EmbeddedSchemaRegistry.Settings settings = EmbeddedSchemaRegistry.Settings.of(bootstrap)
            .withHost(host).withPort(port).withTopic(topic).withKafkaProperties(Map.copyOf(kafkaProperties));
        boolean interrupted = false;
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(settings)) {
            Thread hook = new Thread(stopped::countDown, "turnout-registry-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            spec.commandLine().getOut().printf("Schema registry listening at %s (schemas in topic %s on %s); Ctrl-C stops it%n",
                registry.url(), topic, bootstrap);
            spec.commandLine().getOut().flush();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                // Interrupted by the caller (tests, an embedding service): stop normally, then pass the interrupt on.
                interrupted = true;
            } finally {
                removeHook(hook);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return ExitCode.OK;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException jvmStopping) {
            // The JVM is already shutting down, which is why we stopped.
        }
    }
}
