package dev.turnout.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.turnout.core.registry.embedded.EmbeddedSchemaRegistry;
import dev.turnout.core.registry.embedded.RegistrySecurity;
import dev.turnout.testkit.SharedInfrastructure;

/** The REST client against Turnout's embedded registry, a real Confluent-API server on a real Kafka. */
class RestSchemaRegistryClientTest {

    static final Schema V1 = new Schema.Parser().parse("""
        {"type":"record","name":"User","namespace":"client","fields":[{"name":"id","type":"long"}]}""");
    static final Schema V2 = new Schema.Parser().parse("""
        {"type":"record","name":"User","namespace":"client","fields":[{"name":"id","type":"long"},
          {"name":"email","type":["null","string"],"default":null}]}""");
    static final Schema BREAKING = new Schema.Parser().parse("""
        {"type":"record","name":"User","namespace":"client","fields":[{"name":"id","type":"long"},
          {"name":"email","type":"string"}]}""");

    @TempDir
    Path dir;

    static EmbeddedSchemaRegistry registry(RegistrySecurity security) {
        return EmbeddedSchemaRegistry.start(EmbeddedSchemaRegistry.Settings.of(SharedInfrastructure.kafka().bootstrap())
            .withTopic("_schemas_client_" + UUID.randomUUID()).withSecurity(security));
    }

    static String subject() {
        return "client-" + UUID.randomUUID() + "-value";
    }

    @Test
    void speaksEveryCallOfTheRestApi() {
        try (EmbeddedSchemaRegistry server = registry(RegistrySecurity.NONE);
             RestSchemaRegistryClient client = RestSchemaRegistryClient.forUrl(server.url())) {
            String subject = subject();
            int id1 = client.register(subject, V1);
            assertThat(client.schemaById(id1)).isEqualTo(V1);
            assertThat(client.lookup(subject, V1)).hasValueSatisfying(r -> assertThat(r.version()).isEqualTo(1));
            assertThat(client.lookup(subject, V2)).isEmpty();

            assertThat(client.testCompatibility(subject, V2).compatible()).isTrue();
            CompatibilityResult refused = client.testCompatibility(subject, BREAKING);
            assertThat(refused.compatible()).isFalse();
            assertThat(refused.messages()).anySatisfy(m -> assertThat(m).contains("email"));

            int id2 = client.register(subject, V2);
            assertThat(id2).isNotEqualTo(id1);
            assertThat(client.latest(subject)).isEqualTo(new RegisteredSchema(subject, 2, id2, V2));
            assertThat(client.version(subject, 1)).isEqualTo(new RegisteredSchema(subject, 1, id1, V1));
            assertThat(client.versions(subject)).containsExactly(1, 2);
            assertThat(client.subjects()).contains(subject);

            assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
            assertThat(client.subjectCompatibility(subject)).isEmpty();
            client.setSubjectCompatibility(subject, CompatibilityLevel.FULL_TRANSITIVE);
            assertThat(client.subjectCompatibility(subject)).hasValue(CompatibilityLevel.FULL_TRANSITIVE);
            client.setGlobalCompatibility(CompatibilityLevel.FORWARD);
            assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.FORWARD);

            assertThat(client.deleteSubject(subject)).containsExactly(1, 2);
            assertThat(client.subjects()).doesNotContain(subject);
        }
    }

    @Test
    void registryErrorsSurfaceWithTheirErrorCode() {
        try (EmbeddedSchemaRegistry server = registry(RegistrySecurity.NONE);
             RestSchemaRegistryClient client = RestSchemaRegistryClient.forUrl(server.url())) {
            String subject = subject();
            assertThatThrownBy(() -> client.latest(subject))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(RegistryErrorCode.SUBJECT_NOT_FOUND);
                })
                .hasMessageContaining(subject).hasMessageContaining("error_code 40401");
            client.register(subject, V1);
            assertThatThrownBy(() -> client.register(subject, BREAKING))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(RegistryErrorCode.INCOMPATIBLE_SCHEMA))
                .hasMessageContaining("email");
        }
    }

    @Test
    void schemasAndIdsAreCachedSoTheyOutliveTheRegistry() {
        String subject = subject();
        RestSchemaRegistryClient client;
        int id;
        try (EmbeddedSchemaRegistry server = registry(RegistrySecurity.NONE)) {
            client = RestSchemaRegistryClient.forUrl(server.url());
            id = client.register(subject, V1);
            client.schemaById(id);
        }
        // The registry is gone: only the caches can answer.
        assertThat(client.schemaById(id)).isEqualTo(V1);
        assertThat(client.register(subject, V1)).isEqualTo(id);
        assertThatThrownBy(() -> client.latest(subject)).isInstanceOf(SchemaRegistryException.class)
            .hasMessageContaining("could not be reached");
    }

    @Test
    void theNextUrlIsTriedWhenOneCannotBeReached() {
        try (EmbeddedSchemaRegistry server = registry(RegistrySecurity.NONE);
             RestSchemaRegistryClient client = new RestSchemaRegistryClient(Map.of(RegistryClientConfig.URL,
                 "http://127.0.0.1:1," + server.url()))) {
            assertThat(client.register(subject(), V1)).isPositive();
        }
    }

    @Test
    void basicAuthFromUserInfoOrUrl() {
        try (EmbeddedSchemaRegistry server = registry(RegistrySecurity.NONE.withBasicAuth("turnout", "s3cret"))) {
            String subject = subject();
            try (RestSchemaRegistryClient anonymous = RestSchemaRegistryClient.forUrl(server.url())) {
                assertThatThrownBy(() -> anonymous.register(subject, V1))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(401))
                    .hasMessageContaining("authentication failed");
            }
            try (RestSchemaRegistryClient withUserInfo = new RestSchemaRegistryClient(Map.of(
                RegistryClientConfig.URL, server.url(),
                RegistryClientConfig.BASIC_AUTH_SOURCE, "USER_INFO",
                RegistryClientConfig.BASIC_AUTH_USER_INFO, "turnout:s3cret"))) {
                assertThat(withUserInfo.register(subject, V1)).isPositive();
            }
            try (RestSchemaRegistryClient inUrl = RestSchemaRegistryClient.forUrl(
                server.url().replace("http://", "http://turnout:s3cret@"))) {
                assertThat(inUrl.latest(subject).schema()).isEqualTo(V1);
            }
        }
    }

    @Test
    void tlsWithATrustStore() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        try (EmbeddedSchemaRegistry server = registry(RegistrySecurity.NONE.withTls(certs.keyStore(), certs.password()))) {
            assertThat(server.url()).startsWith("https://");
            try (RestSchemaRegistryClient trusting = new RestSchemaRegistryClient(Map.of(
                RegistryClientConfig.URL, server.url(),
                RegistryClientConfig.SSL_TRUSTSTORE_LOCATION, certs.trustStore().toString(),
                RegistryClientConfig.SSL_TRUSTSTORE_PASSWORD, certs.password(),
                RegistryClientConfig.SSL_TRUSTSTORE_TYPE, "PKCS12"))) {
                assertThat(trusting.register(subject(), V1)).isPositive();
            }
            try (RestSchemaRegistryClient untrusting = RestSchemaRegistryClient.forUrl(server.url())) {
                assertThatThrownBy(() -> untrusting.subjects()).isInstanceOf(SchemaRegistryException.class)
                    .hasMessageContaining("could not be reached");
            }
        }
    }
}
