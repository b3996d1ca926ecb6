package dev.turnout.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * {@code docker-compose.yml}: valid against the official Compose Specification schema (vendored in
 * {@code src/test/resources/compose-spec}, see SOURCE.md there), accepted by {@code docker-compose config} when that
 * binary is installed, started in dependency order on healthchecks, and running Turnout with a config that passes
 * {@code turnout config check} in the environment compose gives it.
 */
class ComposeFileTest {

    private static final String COMPOSE = "docker-compose.yml";
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:?-([^}]*))?}");

    @TempDir
    Path dir;

    @Test
    void validatesAgainstTheComposeSpecificationSchema() throws Exception {
        List<Error> errors = composeSchema().validate(Repo.yaml(COMPOSE));
        assertThat(errors).as("schema violations").isEmpty();
    }

    @Test
    void theSchemaCheckRejectsWhatComposeRejects() throws Exception {
        ObjectNode broken = (ObjectNode) Repo.yaml(COMPOSE);
        ((ObjectNode) broken.at("/services/turnout")).put("restart_policy", "always");
        ((ObjectNode) broken.at("/services/kafka")).putArray("depends_on").add(42);
        List<Error> errors = composeSchema().validate(broken);
        assertThat(errors).extracting(Error::toString)
            .anyMatch(e -> e.contains("restart_policy"))
            .anyMatch(e -> e.contains("depends_on"));
    }

    @Test
    void dockerComposeConfigAcceptsIt() throws Exception {
        Optional<Path> binary = onPath("docker-compose");
        assumeTrue(binary.isPresent(), "docker-compose is not installed (Debian: apt-get install docker-compose; "
            + ".ci/run installs it); skipping `docker-compose config -q`, the schema check above still ran");
        ProcessBuilder pb = new ProcessBuilder(binary.get().toString(), "-f", COMPOSE, "config", "-q")
            .directory(Repo.root().toFile()).redirectErrorStream(true);
        Path output = dir.resolve("docker-compose.out");
        pb.redirectOutput(output.toFile());
        Process process = pb.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("docker-compose config exits").isTrue();
        assertThat(process.exitValue()).as("docker-compose config -q:%n%s", Files.readString(output)).isZero();
    }

    @Test
    void servicesStartInOrderOnHealthchecksWithVolumes() {
        JsonNode services = Repo.yaml(COMPOSE).get("services");
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("redpanda", "kafka", "source-db", "target-db", "console", "turnout");

        SoftAssertions soft = new SoftAssertions();
        services.properties().forEach(service -> service.getValue().path("depends_on").properties().forEach(d -> {
            soft.assertThat(d.getValue().path("condition").asText()).as("%s waits for %s", service.getKey(), d.getKey())
                .isEqualTo("service_healthy");
            soft.assertThat(services.at("/" + d.getKey() + "/healthcheck/test").isMissingNode())
                .as("%s has a healthcheck", d.getKey()).isFalse();
        }));
        soft.assertThat(dependencies(services.get("turnout")))
            .containsExactlyInAnyOrder("redpanda", "kafka", "source-db", "target-db");
        soft.assertThat(dependencies(services.get("console"))).containsExactly("redpanda");
        soft.assertThat(services.at("/turnout/healthcheck/test").toString()).contains("/health/ready");

        Set<String> declared = new LinkedHashSet<>();
        Repo.yaml(COMPOSE).path("volumes").fieldNames().forEachRemaining(declared::add);
        Set<String> named = new LinkedHashSet<>();
        services.forEach(service -> service.path("volumes").forEach(v -> {
            String source = v.asText().split(":")[0];
            if (source.startsWith("./")) {
                soft.assertThat(Files.isRegularFile(Repo.file(source.substring(2)))).as("mounted file %s", source).isTrue();
            } else {
                named.add(source);
            }
        }));
        soft.assertThat(named).as("named volumes are declared and used").isEqualTo(declared)
            .contains("redpanda-data", "kafka-data", "source-data", "target-data");

        soft.assertThat(services.at("/source-db/command").toString()).contains("wal_level=logical");
        soft.assertThat(services.at("/redpanda/command").toString()).contains("--schema-registry-addr");
        soft.assertThat(services.at("/kafka/image").asText()).startsWith("apache/kafka:");
        soft.assertThat(services.at("/kafka/environment/KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        soft.assertThat(services.at("/turnout/command").toString())
            .isEqualTo("[\"run\",\"-c\",\"/etc/turnout/turnout.yaml\"]");
        soft.assertThat(services.at("/turnout/volumes").toString())
            .contains("./deploy/compose/turnout.yaml:/etc/turnout/turnout.yaml:ro");
        soft.assertThat(services.at("/turnout/build").asText()).isEqualTo(".");
        soft.assertAll();
    }

    @Test
    void consoleReadsTheClusterAndRegistryTurnoutsReconciliationTopicsLiveOn() {
        JsonNode console = Repo.yaml("deploy/compose/console.yaml");
        JsonNode turnout = Repo.yaml("deploy/compose/turnout.yaml");
        assertThat(console.at("/kafka/brokers/0").asText()).isEqualTo(turnout.at("/kafka/bootstrap").asText());
        assertThat(console.at("/schemaRegistry/enabled").asBoolean()).isTrue();
        assertThat(console.at("/schemaRegistry/urls/0").asText()).isEqualTo(turnout.at("/schemaRegistry/url").asText());
        assertThat(Repo.yaml(COMPOSE).at("/services/console/volumes").toString())
            .contains("./deploy/compose/console.yaml:/etc/console/console.yaml:ro");
        assertThat(Repo.yaml(COMPOSE).at("/services/console/environment/CONFIG_FILEPATH").asText())
            .isEqualTo("/etc/console/console.yaml");
    }

    @Test
    void turnoutsConfigPassesConfigCheckWithTheEnvironmentComposeGivesIt() throws Exception {
        JsonNode environment = Repo.yaml(COMPOSE).at("/services/turnout/environment");
        Map<String, String> env = new HashMap<>();
        environment.properties().forEach(e -> env.put(e.getKey(), interpolate(e.getValue().asText())));
        assertThat(env).containsKeys("SOURCE_PASSWORD", "TARGET_PASSWORD");

        TurnoutCli.Result check = TurnoutCli.run(env, dir, "config", "check", "-c",
            Repo.file("deploy/compose/turnout.yaml").toString());
        assertThat(check.exit()).as("turnout config check:%n%s", check.stderr()).isZero();
        JsonNode effective = Repo.YAML.readTree(check.stdout());
        assertThat(effective.at("/service/bind").asText()).as("reachable from outside the container")
            .isEqualTo("0.0.0.0:9464");
        assertThat(effective.at("/source/password").asText()).as("masked").isNotEqualTo("turnout");
        assertThat(Repo.yaml(COMPOSE).at("/services/turnout/ports").toString()).contains("9464:9464");
    }

    /** Where the vendored schema comes from; its relative {@code $id} resolves against this. */
    private static final String SCHEMA_SOURCE = "https://raw.githubusercontent.com/compose-spec/compose-spec/"
        + "170098ba07d9f53c383a41bfd4c5166b0a4529a6/schema/compose-spec.json";

    private static Schema composeSchema() throws Exception {
        try (InputStream in = ComposeFileTest.class.getResourceAsStream("/compose-spec/compose-spec.json")) {
            JsonNode schema = Repo.JSON.readTree(in);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(SchemaLocation.of(SCHEMA_SOURCE), schema);
        }
    }

    private static List<String> dependencies(JsonNode service) {
        List<String> names = new ArrayList<>();
        service.path("depends_on").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Compose's own interpolation of {@code ${VAR:-default}} with nothing set: the default. */
    private static String interpolate(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(3) == null ? "" : m.group(3)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static Optional<Path> onPath(String command) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(entry, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
