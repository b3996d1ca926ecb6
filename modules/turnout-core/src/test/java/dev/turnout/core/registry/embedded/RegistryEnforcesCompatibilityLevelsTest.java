package dev.turnout.core.registry.embedded;

import static dev.turnout.core.registry.embedded.RegistryHttp.schemaBody;
import static dev.turnout.core.registry.embedded.TestSchemas.field;
import static dev.turnout.core.registry.embedded.TestSchemas.optional;
import static dev.turnout.core.registry.embedded.TestSchemas.record;
import static dev.turnout.core.registry.embedded.TestSchemas.withDefault;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.turnout.core.registry.RegistryErrorCode;
import dev.turnout.core.registry.embedded.RegistryHttp.Reply;
import dev.turnout.testkit.SharedInfrastructure;

/**
 * Registrations are refused with 409, naming the field, exactly when the subject's compatibility level forbids them. Each
 * test sets its own subject's level, so they share one registry.
 */
class RegistryEnforcesCompatibilityLevelsTest {

    static final String USER = record("User", field("id", "long"));
    static final String USER_WITH_REQUIRED_EMAIL = record("User", field("id", "long"), field("email", "string"));
    static final String USER_WITH_OPTIONAL_EMAIL = record("User", field("id", "long"), optional("email"));

    static EmbeddedSchemaRegistry registry;
    static RegistryHttp http;

    @BeforeAll
    static void start() {
        registry = EmbeddedSchemaRegistry.start(EmbeddedSchemaRegistry.Settings.of(SharedInfrastructure.kafka().bootstrap())
            .withTopic(TestSchemas.uniqueTopic("compat")));
        http = new RegistryHttp(registry);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static Reply register(String subject, String schema) {
        return http.post("/subjects/" + subject + "/versions", schemaBody(schema));
    }

    @Test
    void backwardIsTheDefaultAndRefusesANewFieldWithoutDefaultNamingIt() {
        http.register("backward-refuses", USER);

        Reply refused = register("backward-refuses", USER_WITH_REQUIRED_EMAIL);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo(RegistryErrorCode.INCOMPATIBLE_SCHEMA);
        assertThat(refused.message()).isEqualTo("Schema being registered is incompatible with an earlier schema for"
            + " subject \"backward-refuses\"; details: [READER_FIELD_MISSING_DEFAULT_VALUE at /fields/1: field 'email'"
            + " has no default value in the new schema and is missing in the old one]");
        assertThat(http.get("/subjects/backward-refuses/versions").ints()).containsExactly(1);
    }

    @Test
    void backwardAcceptsAnOptionalFieldWithDefaultAsVersionTwo() {
        http.register("backward-accepts", USER);

        Reply accepted = register("backward-accepts", USER_WITH_OPTIONAL_EMAIL);

        assertThat(accepted.status()).isEqualTo(200);
        Reply latest = http.get("/subjects/backward-accepts/versions/latest");
        assertThat(latest.body().path("version").asInt()).isEqualTo(2);
        assertThat(latest.body().path("id").asInt()).isEqualTo(accepted.id());
    }

    @Test
    void forwardRefusesRemovingAFieldTheOldSchemaNeedsAndAcceptsAddingOne() {
        http.setLevel("forward", "FORWARD");
        http.register("forward", USER_WITH_REQUIRED_EMAIL);

        Reply refused = register("forward", USER);
        Reply accepted = register("forward", record("User", field("id", "long"), field("email", "string"),
            field("age", "int")));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.message()).contains("field 'email' has no default value in the old schema and is missing in"
            + " the new one");
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(http.get("/subjects/forward/versions").ints()).containsExactly(1, 2);
    }

    @Test
    void fullRefusesWhatEitherDirectionForbidsAndAcceptsAFieldWithDefault() {
        http.setLevel("full", "FULL");
        http.register("full", USER);

        Reply addRequired = register("full", USER_WITH_REQUIRED_EMAIL);
        Reply removeRequired = register("full", record("User"));
        Reply addOptional = register("full", USER_WITH_OPTIONAL_EMAIL);

        assertThat(addRequired.status()).isEqualTo(409);
        assertThat(addRequired.message()).contains("'email'", "in the new schema");
        assertThat(removeRequired.status()).isEqualTo(409);
        assertThat(removeRequired.message()).contains("'id'", "in the old schema");
        assertThat(addOptional.status()).isEqualTo(200);
        assertThat(http.get("/subjects/full/versions").ints()).containsExactly(1, 2);
    }

    @Test
    void noneAcceptsAnyChange() {
        http.setLevel("none", "NONE");
        http.register("none", USER);

        Reply changedType = register("none", record("User", field("id", "string")));
        Reply otherRecord = register("none", record("Order", field("total", "double")));

        assertThat(changedType.status()).isEqualTo(200);
        assertThat(otherRecord.status()).isEqualTo(200);
        assertThat(http.get("/subjects/none/versions").ints()).containsExactly(1, 2, 3);
    }

    @Test
    void backwardTransitiveChecksEveryVersionWhereBackwardChecksOnlyTheLatest() {
        // v1 has a string id, v2 drops it, v3 brings it back as an int with a default: v3 reads v2's data, not v1's.
        String v1 = record("Account", field("id", "string"));
        String v2 = record("Account");
        String v3 = record("Account", withDefault("id", "int", "0"));
        for (String subject : new String[] {"latest-only", "transitive"}) {
            http.register(subject, v1);
            http.register(subject, v2);
        }
        http.setLevel("transitive", "BACKWARD_TRANSITIVE");

        Reply latestOnly = register("latest-only", v3);
        Reply transitive = register("transitive", v3);

        assertThat(latestOnly.status()).isEqualTo(200);
        assertThat(transitive.status()).isEqualTo(409);
        assertThat(transitive.message()).contains("TYPE_MISMATCH at /fields/0/type: field 'id'");
        assertThat(http.get("/subjects/transitive/versions").ints()).containsExactly(1, 2);
    }

    @Test
    void deletedVersionsAreNotCheckedAgainst() {
        http.register("deleted-not-checked", USER);
        http.delete("/subjects/deleted-not-checked");

        Reply accepted = register("deleted-not-checked", record("User", field("id", "string")));

        assertThat(accepted.status()).isEqualTo(200);
    }
}
