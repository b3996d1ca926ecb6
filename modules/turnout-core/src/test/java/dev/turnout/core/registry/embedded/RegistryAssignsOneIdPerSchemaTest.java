package dev.turnout.core.registry.embedded;

import static dev.turnout.core.registry.embedded.TestSchemas.field;
import static dev.turnout.core.registry.embedded.TestSchemas.optional;
import static dev.turnout.core.registry.embedded.TestSchemas.record;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.turnout.testkit.SharedInfrastructure;

/** Ids are global per schema, as in Confluent's registry: one schema, one id, whatever the subject. */
class RegistryAssignsOneIdPerSchemaTest {

    static EmbeddedSchemaRegistry registry;
    static RegistryHttp http;

    @BeforeAll
    static void start() {
        registry = EmbeddedSchemaRegistry.start(EmbeddedSchemaRegistry.Settings.of(SharedInfrastructure.kafka().bootstrap())
            .withTopic(TestSchemas.uniqueTopic("ids")));
        http = new RegistryHttp(registry);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void theSameSchemaInTwoSubjectsGetsTheSameId() {
        String schema = record("Shared", field("id", "long"));

        int inKeys = http.register("shared-key", schema);
        int inValues = http.register("shared-value", schema);

        assertThat(inValues).isEqualTo(inKeys);
        assertThat(http.get("/subjects/shared-value/versions/1").body().path("id").asInt()).isEqualTo(inKeys);
    }

    @Test
    void registeringTwiceReturnsTheSameIdWithoutANewVersion() {
        String schema = record("Twice", field("id", "long"));
        String sameSchemaReformatted = "{ \"type\" : \"record\", \"namespace\" : \"test\", \"name\" : \"Twice\",\n"
            + "  \"fields\" : [ { \"type\" : \"long\", \"name\" : \"id\" } ] }";

        int first = http.register("twice", schema);
        int second = http.register("twice", schema);
        int reformatted = http.register("twice", sameSchemaReformatted);

        assertThat(second).isEqualTo(first);
        assertThat(reformatted).isEqualTo(first);
        assertThat(http.get("/subjects/twice/versions").ints()).containsExactly(1);
    }

    @Test
    void aDifferentSchemaGetsANewIdAndIdsAreNeverReused() {
        int first = http.register("distinct", record("Distinct", field("id", "long")));
        int second = http.register("distinct", record("Distinct", field("id", "long"), optional("note")));
        http.delete("/subjects/distinct");
        int third = http.register("distinct", record("Distinct", field("id", "long"), optional("other")));

        assertThat(second).isGreaterThan(first);
        assertThat(third).isGreaterThan(second);
    }
}
