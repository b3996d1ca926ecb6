package dev.turnout.core.registry.embedded;

import static dev.turnout.core.registry.embedded.TestSchemas.canonical;
import static dev.turnout.core.registry.embedded.TestSchemas.field;
import static dev.turnout.core.registry.embedded.TestSchemas.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.turnout.testkit.SharedInfrastructure;

/**
 * Two instances on one topic, registering concurrently: the log orders their races, so both end up with the same
 * id-to-schema mapping and every id a client was given resolves to the schema it registered, on either instance.
 */
class TwoRegistryInstancesOnOneClusterAgreeOnIdsTest {

    static final int SCHEMAS = 48;
    static final int SHARED_SUBJECTS = 4;
    static final int THREADS = 8;

    /** One successful registration as the client saw it. */
    record Registration(String subject, String schema, int id) {
    }

    @Test
    void twoInstancesOnOneClusterAgreeOnIds() throws Exception {
        EmbeddedSchemaRegistry.Settings settings = EmbeddedSchemaRegistry.Settings.of(
            SharedInfrastructure.kafka().bootstrap()).withTopic(TestSchemas.uniqueTopic("two-instances"));
        try (EmbeddedSchemaRegistry a = EmbeddedSchemaRegistry.start(settings);
             EmbeddedSchemaRegistry b = EmbeddedSchemaRegistry.start(settings)) {
            RegistryHttp httpA = new RegistryHttp(a);
            RegistryHttp httpB = new RegistryHttp(b);
            // NONE lets unrelated schemas share a subject, so that both instances race for the same next version.
            httpA.put("/config", Map.of("compatibility", "NONE"));

            List<Registration> registrations = registerConcurrently(httpA, httpB);

            assertThat(registrations).hasSize(2 * SCHEMAS);
            for (Registration registration : registrations) {
                for (RegistryHttp http : List.of(httpA, httpB)) {
                    JsonNode byId = http.get("/schemas/ids/" + registration.id()).body();
                    assertThat(byId.path("schema").asText()).as("id %d on %s", registration.id(), http)
                        .isEqualTo(canonical(registration.schema()));
                }
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(versionsById(httpB)).isEqualTo(versionsById(httpA)));
            Map<Integer, Set<String>> schemasPerId = new HashMap<>();
            Map<String, Set<Integer>> idsPerSchema = new HashMap<>();
            versionsById(httpA).forEach((subjectVersion, idAndSchema) -> {
                schemasPerId.computeIfAbsent(idAndSchema.id(), k -> new HashSet<>()).add(idAndSchema.schema());
                idsPerSchema.computeIfAbsent(idAndSchema.schema(), k -> new HashSet<>()).add(idAndSchema.id());
            });
            assertThat(schemasPerId).hasSize(SCHEMAS).allSatisfy((id, schemas) -> assertThat(schemas).hasSize(1));
            assertThat(idsPerSchema).hasSize(SCHEMAS).allSatisfy((schema, ids) -> assertThat(ids).hasSize(1));
            for (Registration registration : registrations) {
                JsonNode found = httpB.post("/subjects/" + registration.subject(),
                    RegistryHttp.schemaBody(registration.schema())).body();
                assertThat(found.path("id").asInt()).as("%s in %s", registration.schema(), registration.subject())
                    .isEqualTo(registration.id());
            }
        }
    }

    /**
     * Each schema is registered twice at once: through one instance into a subject shared with other schemas, and
     * through the other instance into a subject of its own. All registrations start together.
     */
    private static List<Registration> registerConcurrently(RegistryHttp httpA, RegistryHttp httpB) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Registration>> futures = new ArrayList<>();
            for (int i = 0; i < SCHEMAS; i++) {
                String schema = record("Race" + i, field("f" + i, "long"));
                String shared = "shared-" + (i % SHARED_SUBJECTS);
                String own = "own-" + i;
                RegistryHttp first = i % 2 == 0 ? httpA : httpB;
                RegistryHttp second = i % 2 == 0 ? httpB : httpA;
                futures.add(threads.submit(() -> {
                    go.await();
                    return new Registration(shared, schema, first.register(shared, schema));
                }));
                futures.add(threads.submit(() -> {
                    go.await();
                    return new Registration(own, schema, second.register(own, schema));
                }));
            }
            go.countDown();
            List<Registration> done = new ArrayList<>();
            for (Future<Registration> future : futures) {
                done.add(future.get(2, TimeUnit.MINUTES));
            }
            return done;
        } finally {
            threads.shutdownNow();
        }
    }

    record IdAndSchema(int id, String schema) {
    }

    /** Every live (subject, version) of an instance with its id and schema. */
    private static Map<String, IdAndSchema> versionsById(RegistryHttp http) {
        Map<String, IdAndSchema> all = new TreeMap<>();
        for (String subject : http.get("/subjects").strings()) {
            for (int version : http.get("/subjects/" + subject + "/versions").ints()) {
                JsonNode v = http.get("/subjects/" + subject + "/versions/" + version).body();
                all.put(subject + "/" + version, new IdAndSchema(v.path("id").asInt(), v.path("schema").asText()));
            }
        }
        return all;
    }
}
