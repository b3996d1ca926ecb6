package dev.turnout.core.avro;

import java.util.Map;

import dev.turnout.core.registry.RegistryClientConfig;
import dev.turnout.core.registry.embedded.EmbeddedSchemaRegistry;
import dev.turnout.testkit.SharedInfrastructure;

/** One embedded registry per test JVM on the shared Kafka; tests isolate themselves by topic (and so subject) names. */
final class SharedRegistry {

    private SharedRegistry() {
    }

    static String url() {
        return Holder.REGISTRY.url();
    }

    static Map<String, Object> serdeConfig() {
        return Map.of(RegistryClientConfig.URL, url());
    }

    private static final class Holder {
        static final EmbeddedSchemaRegistry REGISTRY = EmbeddedSchemaRegistry.start(
            EmbeddedSchemaRegistry.Settings.of(SharedInfrastructure.kafka().bootstrap()));

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(REGISTRY::close, "turnout-test-registry-stop"));
        }
    }
}
