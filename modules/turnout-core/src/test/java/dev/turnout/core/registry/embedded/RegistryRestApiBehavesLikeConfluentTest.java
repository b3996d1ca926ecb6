package dev.turnout.core.registry.embedded;

import static dev.turnout.core.registry.embedded.RegistryHttp.schemaBody;
import static dev.turnout.core.registry.embedded.RegistryHttp.segment;
import static dev.turnout.core.registry.embedded.TestSchemas.canonical;
import static dev.turnout.core.registry.embedded.TestSchemas.field;
import static dev.turnout.core.registry.embedded.TestSchemas.optional;
import static dev.turnout.core.registry.embedded.TestSchemas.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.turnout.core.registry.RegistryErrorCode;
import dev.turnout.core.registry.embedded.RegistryHttp.Reply;
import dev.turnout.testkit.SharedInfrastructure;

/**
 * Every REST endpoint, its happy path and its Confluent error codes, against a registry on the shared Kafka. Tests share
 * one registry and keep to their own subjects; the global-config test starts its own registry because it changes what
 * every subject inherits.
 */
class RegistryRestApiBehavesLikeConfluentTest {

    static final String V1 = record("User", field("id", "long"));
    static final String V2 = record("User", field("id", "long"), optional("email"));
    static final String V3 = record("User", field("id", "long"), optional("email"), optional("name"));

    static EmbeddedSchemaRegistry registry;
    static RegistryHttp http;

    @BeforeAll
    static void start() {
        registry = EmbeddedSchemaRegistry.start(EmbeddedSchemaRegistry.Settings.of(SharedInfrastructure.kafka().bootstrap())
            .withTopic(TestSchemas.uniqueTopic("rest")));
        http = new RegistryHttp(registry);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void registeringReturnsAnIdAndVersionsCountFromOne() {
        Reply first = http.post("/subjects/orders-value/versions", Map.of("schema", V1, "schemaType", "AVRO"));
        Reply second = http.post("/subjects/orders-value/versions", schemaBody(V2));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.contentType()).isEqualTo(RegistryHttp.CONTENT_TYPE);
        assertThat(first.body().fieldNames()).toIterable().containsExactly("id");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(http.get("/subjects/orders-value/versions").ints()).containsExactly(1, 2);
    }

    @Test
    void subjectsListsOnlySubjectsWithLiveVersions() {
        http.register("listed-a", V1);
        http.register("listed-b", V1);
        http.delete("/subjects/listed-b");

        Reply subjects = http.get("/subjects");

        assertThat(subjects.status()).isEqualTo(200);
        assertThat(subjects.strings()).contains("listed-a").doesNotContain("listed-b");
    }

    @Test
    void versionsOfAnUnknownSubjectIs40401() {
        Reply reply = http.get("/subjects/never-registered/versions");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.errorCode()).isEqualTo(RegistryErrorCode.SUBJECT_NOT_FOUND);
        assertThat(reply.message()).contains("never-registered");
    }

    @Test
    void getVersionByNumberAndLatestReturnsSubjectVersionIdAndSchema() {
        int id1 = http.register("get-version", V1);
        int id2 = http.register("get-version", V2);

        Reply one = http.get("/subjects/get-version/versions/1");
        Reply latest = http.get("/subjects/get-version/versions/latest");

        assertThat(one.status()).isEqualTo(200);
        assertThat(one.body().path("subject").asText()).isEqualTo("get-version");
        assertThat(one.body().path("version").asInt()).isEqualTo(1);
        assertThat(one.body().path("id").asInt()).isEqualTo(id1);
        assertThat(one.body().path("schema").asText()).isEqualTo(canonical(V1));
        assertThat(latest.body().path("version").asInt()).isEqualTo(2);
        assertThat(latest.body().path("id").asInt()).isEqualTo(id2);
        assertThat(latest.body().path("schema").asText()).isEqualTo(canonical(V2));
    }

    @Test
    void getVersionAnswers40401And40402And42202() {
        http.register("version-errors", V1);

        Reply unknownSubject = http.get("/subjects/no-such-subject/versions/1");
        Reply unknownVersion = http.get("/subjects/version-errors/versions/7");
        Reply notANumber = http.get("/subjects/version-errors/versions/first");
        Reply zero = http.get("/subjects/version-errors/versions/0");

        assertThat(unknownSubject.status()).isEqualTo(404);
        assertThat(unknownSubject.errorCode()).isEqualTo(RegistryErrorCode.SUBJECT_NOT_FOUND);
        assertThat(unknownVersion.status()).isEqualTo(404);
        assertThat(unknownVersion.errorCode()).isEqualTo(RegistryErrorCode.VERSION_NOT_FOUND);
        assertThat(unknownVersion.message()).contains("7");
        assertThat(notANumber.status()).isEqualTo(422);
        assertThat(notANumber.errorCode()).isEqualTo(RegistryErrorCode.INVALID_VERSION);
        assertThat(notANumber.message()).contains("first");
        assertThat(zero.errorCode()).isEqualTo(RegistryErrorCode.INVALID_VERSION);
    }

    @Test
    void invalidAvroIs42201WithAvrosParseMessage() {
        Reply reply = http.post("/subjects/invalid-avro/versions",
            schemaBody(record("Broken", field("id", "no_such_type"))));

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.errorCode()).isEqualTo(RegistryErrorCode.INVALID_SCHEMA);
        assertThat(reply.message()).contains("no_such_type");
        assertThat(http.get("/subjects/invalid-avro/versions").errorCode()).isEqualTo(RegistryErrorCode.SUBJECT_NOT_FOUND);
    }

    @Test
    void aSchemaTypeOtherThanAvroIs42201() {
        Reply reply = http.post("/subjects/protobuf/versions",
            Map.of("schema", "syntax = \"proto3\"; message M {}", "schemaType", "PROTOBUF"));

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.errorCode()).isEqualTo(RegistryErrorCode.INVALID_SCHEMA);
        assertThat(reply.message()).contains("PROTOBUF");
    }

    @Test
    void lookupFindsTheVersionOfARegisteredSchema() {
        http.register("lookup", V1);
        int id = http.register("lookup", V2);

        // Differently formatted text of the same schema is the same schema.
        Reply found = http.post("/subjects/lookup", schemaBody(V2.replace(",", " , ")));

        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body().path("subject").asText()).isEqualTo("lookup");
        assertThat(found.body().path("version").asInt()).isEqualTo(2);
        assertThat(found.body().path("id").asInt()).isEqualTo(id);
        assertThat(found.body().path("schema").asText()).isEqualTo(canonical(V2));
    }

    @Test
    void lookupAnswers40401ForAnUnknownSubjectAnd40403ForAnUnregisteredSchema() {
        http.register("lookup-errors", V1);

        Reply unknownSubject = http.post("/subjects/lookup-nobody", schemaBody(V1));
        Reply notRegistered = http.post("/subjects/lookup-errors", schemaBody(V3));

        assertThat(unknownSubject.status()).isEqualTo(404);
        assertThat(unknownSubject.errorCode()).isEqualTo(RegistryErrorCode.SUBJECT_NOT_FOUND);
        assertThat(notRegistered.status()).isEqualTo(404);
        assertThat(notRegistered.errorCode()).isEqualTo(RegistryErrorCode.SCHEMA_NOT_FOUND);
    }

    @Test
    void softDeleteHidesTheSubjectButKeepsItsSchemasById() {
        int id1 = http.register("soft-delete", V1);
        http.register("soft-delete", V2);

        Reply deleted = http.delete("/subjects/soft-delete");

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.ints()).containsExactly(1, 2);
        assertThat(http.get("/subjects").strings()).doesNotContain("soft-delete");
        assertThat(http.get("/subjects/soft-delete/versions").errorCode()).isEqualTo(RegistryErrorCode.SUBJECT_NOT_FOUND);
        assertThat(http.get("/subjects/soft-delete/versions/1").errorCode()).isEqualTo(RegistryErrorCode.SUBJECT_NOT_FOUND);
        assertThat(http.post("/subjects/soft-delete", schemaBody(V1)).errorCode())
            .isEqualTo(RegistryErrorCode.SUBJECT_NOT_FOUND);
        Reply byId = http.get("/schemas/ids/" + id1);
        assertThat(byId.status()).isEqualTo(200);
        assertThat(byId.body().path("schema").asText()).isEqualTo(canonical(V1));
    }

    @Test
    void versionsContinueAfterSoftDeletedOnesAndADeletedSchemaKeepsItsId() {
        int id1 = http.register("after-delete", V1);
        http.register("after-delete", V2);
        http.delete("/subjects/after-delete");

        int again = http.register("after-delete", V1);

        assertThat(again).isEqualTo(id1);
        assertThat(http.get("/subjects/after-delete/versions").ints()).containsExactly(3);
        assertThat(http.get("/subjects/after-delete/versions/latest").body().path("version").asInt()).isEqualTo(3);
    }

    @Test
    void deletingOneVersionHidesOnlyThatVersion() {
        http.register("delete-version", V1);
        http.register("delete-version", V2);

        Reply deleted = http.delete("/subjects/delete-version/versions/1");

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.body().asInt()).isEqualTo(1);
        assertThat(http.get("/subjects/delete-version/versions").ints()).containsExactly(2);
        assertThat(http.get("/subjects/delete-version/versions/1").errorCode())
            .isEqualTo(RegistryErrorCode.VERSION_NOT_FOUND);
        assertThat(http.delete("/subjects/delete-version/versions/1").errorCode())
            .isEqualTo(RegistryErrorCode.VERSION_NOT_FOUND);
    }

    @Test
    void deletingAnUnknownSubjectIs40401() {
        Reply reply = http.delete("/subjects/nothing-here");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.errorCode()).isEqualTo(RegistryErrorCode.SUBJECT_NOT_FOUND);
    }

    @Test
    void schemaByIdReturnsTheSchemaAndAnUnknownIdIs40403() {
        int id = http.register("by-id", V3);

        Reply found = http.get("/schemas/ids/" + id);
        Reply unknown = http.get("/schemas/ids/999999");
        Reply notANumber = http.get("/schemas/ids/abc");

        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body().path("schema").asText()).isEqualTo(canonical(V3));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo(RegistryErrorCode.SCHEMA_NOT_FOUND);
        assertThat(notANumber.errorCode()).isEqualTo(RegistryErrorCode.SCHEMA_NOT_FOUND);
    }

    @Test
    void globalConfigDefaultsToBackwardCanBeChangedAndRejectsUnknownLevelsWith42203() {
        try (EmbeddedSchemaRegistry own = EmbeddedSchemaRegistry.start(
            EmbeddedSchemaRegistry.Settings.of(SharedInfrastructure.kafka().bootstrap())
                .withTopic(TestSchemas.uniqueTopic("global-config")))) {
            RegistryHttp ownHttp = new RegistryHttp(own);

            Reply initial = ownHttp.get("/config");
            Reply set = ownHttp.put("/config", Map.of("compatibility", "FULL"));
            Reply after = ownHttp.get("/config");
            Reply invalid = ownHttp.put("/config", Map.of("compatibility", "SIDEWAYS"));

            assertThat(initial.status()).isEqualTo(200);
            assertThat(initial.body().path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
            assertThat(set.status()).isEqualTo(200);
            assertThat(set.body().path("compatibility").asText()).isEqualTo("FULL");
            assertThat(after.body().path("compatibilityLevel").asText()).isEqualTo("FULL");
            assertThat(invalid.status()).isEqualTo(422);
            assertThat(invalid.errorCode()).isEqualTo(RegistryErrorCode.INVALID_COMPATIBILITY_LEVEL);
            assertThat(ownHttp.get("/config").body().path("compatibilityLevel").asText()).isEqualTo("FULL");
        }
    }

    @Test
    void subjectConfigIs40408UntilSetAndCanFallBackToGlobal() {
        Reply unset = http.get("/config/configured");
        Reply fallback = http.get("/config/configured?defaultToGlobal=true");
        Reply set = http.put("/config/configured", Map.of("compatibility", "forward_transitive"));
        Reply after = http.get("/config/configured");
        Reply invalid = http.put("/config/configured", Map.of("compatibility", "MOSTLY"));

        assertThat(unset.status()).isEqualTo(404);
        assertThat(unset.errorCode()).isEqualTo(RegistryErrorCode.SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED);
        assertThat(fallback.status()).isEqualTo(200);
        assertThat(fallback.body().path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.body().path("compatibility").asText()).isEqualTo("FORWARD_TRANSITIVE");
        assertThat(after.body().path("compatibilityLevel").asText()).isEqualTo("FORWARD_TRANSITIVE");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.errorCode()).isEqualTo(RegistryErrorCode.INVALID_COMPATIBILITY_LEVEL);
        assertThat(http.get("/config").body().path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }

    @Test
    void compatibilityCheckAnswersIsCompatibleAndVerboseMessages() {
        http.register("check", V1);
        String breaking = record("User", field("id", "long"), field("email", "string"));

        Reply compatible = http.post("/compatibility/subjects/check/versions/latest", schemaBody(V2));
        Reply incompatible = http.post("/compatibility/subjects/check/versions/1", schemaBody(breaking));
        Reply verbose = http.post("/compatibility/subjects/check/versions/latest?verbose=true", schemaBody(breaking));

        assertThat(compatible.status()).isEqualTo(200);
        assertThat(compatible.body().path("is_compatible").asBoolean()).isTrue();
        assertThat(incompatible.body().path("is_compatible").asBoolean()).isFalse();
        assertThat(incompatible.body().has("messages")).isFalse();
        assertThat(verbose.body().path("is_compatible").asBoolean()).isFalse();
        assertThat(verbose.body().path("messages").get(0).asText()).contains("'email'");
        assertThat(http.get("/subjects/check/versions").ints()).as("a check registers nothing").containsExactly(1);
    }

    @Test
    void compatibilityCheckIsAgainstTheNamedVersionOnly() {
        String stringId = record("Account", field("id", "string"));
        String noId = record("Account");
        String intId = record("Account", TestSchemas.withDefault("id", "int", "0"));
        http.setLevel("check-version", "NONE");
        http.register("check-version", stringId);
        http.register("check-version", noId);
        http.setLevel("check-version", "BACKWARD");

        Reply againstLatest = http.post("/compatibility/subjects/check-version/versions/2", schemaBody(intId));
        Reply againstFirst = http.post("/compatibility/subjects/check-version/versions/1?verbose=true",
            schemaBody(intId));

        assertThat(againstLatest.body().path("is_compatible").asBoolean()).isTrue();
        assertThat(againstFirst.body().path("is_compatible").asBoolean()).isFalse();
        assertThat(againstFirst.body().path("messages").get(0).asText()).contains("TYPE_MISMATCH", "'id'");
    }

    @Test
    void compatibilityCheckAnswers40401And40402And42202And42201() {
        http.register("check-errors", V1);

        Reply unknownSubject = http.post("/compatibility/subjects/check-nobody/versions/latest", schemaBody(V2));
        Reply unknownVersion = http.post("/compatibility/subjects/check-errors/versions/5", schemaBody(V2));
        Reply invalidVersion = http.post("/compatibility/subjects/check-errors/versions/-7", schemaBody(V2));
        Reply invalidSchema = http.post("/compatibility/subjects/check-errors/versions/1", schemaBody("{\"type\":"));

        assertThat(unknownSubject.status()).isEqualTo(404);
        assertThat(unknownSubject.errorCode()).isEqualTo(RegistryErrorCode.SUBJECT_NOT_FOUND);
        assertThat(unknownVersion.status()).isEqualTo(404);
        assertThat(unknownVersion.errorCode()).isEqualTo(RegistryErrorCode.VERSION_NOT_FOUND);
        assertThat(invalidVersion.status()).isEqualTo(422);
        assertThat(invalidVersion.errorCode()).isEqualTo(RegistryErrorCode.INVALID_VERSION);
        assertThat(invalidSchema.status()).isEqualTo(422);
        assertThat(invalidSchema.errorCode()).isEqualTo(RegistryErrorCode.INVALID_SCHEMA);
    }

    @Test
    void anIncompatibleRegistrationIs409() {
        http.register("refused", V1);

        Reply reply = http.post("/subjects/refused/versions",
            schemaBody(record("User", field("id", "long"), field("email", "string"))));

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.errorCode()).isEqualTo(RegistryErrorCode.INCOMPATIBLE_SCHEMA);
        assertThat(reply.message()).startsWith("Schema being registered is incompatible with an earlier schema for"
            + " subject \"refused\"; details: [");
    }

    @Test
    void anUnknownPathIs404AndAWrongMethodIs405() {
        Reply unknown = http.get("/no/such/path");
        Reply wrongMethod = http.put("/subjects", Map.of());

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo(404);
        assertThat(unknown.contentType()).isEqualTo(RegistryHttp.CONTENT_TYPE);
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.errorCode()).isEqualTo(405);
    }

    @Test
    void subjectsWithDotsDashesColonsAndEncodedCharactersAreOneSegment() {
        String subject = "shop.public.users:v-1/€ x";
        int id = http.register(subject, V1);

        Reply version = http.get("/subjects/" + segment(subject) + "/versions/1");

        assertThat(version.status()).isEqualTo(200);
        assertThat(version.body().path("subject").asText()).isEqualTo(subject);
        assertThat(version.body().path("id").asInt()).isEqualTo(id);
        assertThat(http.get("/subjects").strings()).contains(subject);
        assertThat(http.get("/subjects/shop.public.users:v-plain/versions").errorCode())
            .isEqualTo(RegistryErrorCode.SUBJECT_NOT_FOUND);
    }

    @Test
    void requestBodiesAreAcceptedAsJsonAndOctetStream() throws Exception {
        String body = RegistryHttp.JSON.writeValueAsString(schemaBody(V1));

        Reply asJson = http.post("/subjects/content-json/versions", "application/json", body);
        Reply asOctets = http.post("/subjects/content-octets/versions", "application/octet-stream", body);
        Reply malformed = http.post("/subjects/content-bad/versions", "application/json", "{not json");

        assertThat(asJson.status()).isEqualTo(200);
        assertThat(asOctets.status()).isEqualTo(200);
        assertThat(asOctets.id()).isEqualTo(asJson.id());
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errorCode()).isEqualTo(400);
    }
}
