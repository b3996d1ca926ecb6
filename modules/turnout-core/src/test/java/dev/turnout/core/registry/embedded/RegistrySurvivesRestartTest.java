package dev.turnout.core.registry.embedded;

import static dev.turnout.core.registry.embedded.TestSchemas.canonical;
import static dev.turnout.core.registry.embedded.TestSchemas.field;
import static dev.turnout.core.registry.embedded.TestSchemas.optional;
import static dev.turnout.core.registry.embedded.TestSchemas.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.turnout.core.registry.RegistryErrorCode;
import dev.turnout.core.registry.embedded.RegistryHttp.Reply;
import dev.turnout.testkit.KafkaCluster;
import dev.turnout.testkit.SharedInfrastructure;

/** Everything the registry knows lives in its topic: a new instance on the same topic serves the same answers. */
class RegistrySurvivesRestartTest {

    static final String V1 = record("Customer", field("id", "long"));
    static final String V2 = record("Customer", field("id", "long"), optional("email"));
    static final String OTHER = record("Invoice", field("number", "string"));

    @Test
    void aNewInstanceOnTheSameTopicServesTheSameIdsVersionsConfigsAndDeletions() {
        EmbeddedSchemaRegistry.Settings settings = EmbeddedSchemaRegistry.Settings.of(
            SharedInfrastructure.kafka().bootstrap()).withTopic(TestSchemas.uniqueTopic("restart"));
        int id1;
        int id2;
        int otherId;
        try (EmbeddedSchemaRegistry before = EmbeddedSchemaRegistry.start(settings)) {
            RegistryHttp http = new RegistryHttp(before);
            id1 = http.register("customers-value", V1);
            id2 = http.register("customers-value", V2);
            assertThat(http.register("customers-copy", V2)).isEqualTo(id2);
            otherId = http.register("invoices-value", OTHER);
            http.delete("/subjects/invoices-value");
            http.put("/config", Map.of("compatibility", "FULL_TRANSITIVE"));
            http.setLevel("customers-value", "NONE");
        }

        try (EmbeddedSchemaRegistry after = EmbeddedSchemaRegistry.start(settings)) {
            RegistryHttp http = new RegistryHttp(after);

            assertThat(http.get("/subjects").strings()).containsExactly("customers-copy", "customers-value");
            assertThat(http.get("/subjects/customers-value/versions").ints()).containsExactly(1, 2);
            assertThat(http.get("/subjects/customers-value/versions/1").body().path("id").asInt()).isEqualTo(id1);
            assertThat(http.get("/subjects/customers-value/versions/2").body().path("id").asInt()).isEqualTo(id2);
            assertThat(http.get("/subjects/customers-copy/versions/1").body().path("id").asInt()).isEqualTo(id2);
            assertThat(http.get("/schemas/ids/" + id1).body().path("schema").asText()).isEqualTo(canonical(V1));
            assertThat(http.get("/schemas/ids/" + otherId).body().path("schema").asText()).isEqualTo(canonical(OTHER));
            assertThat(http.get("/subjects/invoices-value/versions").errorCode())
                .isEqualTo(RegistryErrorCode.SUBJECT_NOT_FOUND);
            assertThat(http.get("/config").body().path("compatibilityLevel").asText()).isEqualTo("FULL_TRANSITIVE");
            assertThat(http.get("/config/customers-value").body().path("compatibilityLevel").asText()).isEqualTo("NONE");

            // New registrations continue after what the log holds: a new id, and versions after deleted ones.
            assertThat(http.register("customers-value", V2)).as("already registered").isEqualTo(id2);
            int reRegistered = http.register("invoices-value", OTHER);
            int fresh = http.register("fresh", record("Fresh", field("id", "long")));
            assertThat(reRegistered).isEqualTo(otherId);
            assertThat(http.get("/subjects/invoices-value/versions").ints()).containsExactly(2);
            assertThat(fresh).isGreaterThan(Math.max(Math.max(id1, id2), otherId));
        }
    }

    @Test
    void aRunningRegistryKeepsServingAcrossABrokerRestart() {
        try (KafkaCluster kafka = KafkaCluster.builder().name("registry-broker-restart").start();
             EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(
                 EmbeddedSchemaRegistry.Settings.of(kafka.bootstrap()))) {
            RegistryHttp http = new RegistryHttp(registry);
            int id1 = http.register("orders-value", V1);

            kafka.restart();

            // The clients reconnect on their own; the first registration may still find them reconnecting.
            Reply[] registered = new Reply[1];
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                registered[0] = http.post("/subjects/orders-value/versions", RegistryHttp.schemaBody(V2));
                assertThat(registered[0].status()).isEqualTo(200);
            });
            assertThat(registered[0].id()).isNotEqualTo(id1);
            assertThat(http.get("/subjects/orders-value/versions").ints()).containsExactly(1, 2);
            assertThat(http.get("/schemas/ids/" + id1).body().path("schema").asText()).isEqualTo(canonical(V1));
        }
    }
}
