package dev.turnout.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    static final String MINIMAL = """
        pipeline: shop
        kafka:
          bootstrap: 127.0.0.1:9092
        source:
          url: jdbc:postgresql://127.0.0.1:5432/app
          user: postgres
          tables: [public.users]
        target:
          url: jdbc:postgresql://127.0.0.1:5433/app
          user: postgres
        """;

    static LoadedConfig parse(String yaml) {
        return ConfigLoader.parse("turnout.yaml", yaml, Map.of());
    }

    static List<String> problems(String yaml, Map<String, String> env) {
        try {
            ConfigLoader.parse("turnout.yaml", yaml, env);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected the config to be rejected");
    }

    static List<String> problems(String yaml) {
        return problems(yaml, Map.of());
    }

    @Test
    void theShippedExampleLoads() {
        TurnoutConfig config = ConfigLoader.load(Path.of("../../examples/turnout.yaml"), Map.of()).config();
        assertThat(config.pipeline()).isEqualTo("shop");
        assertThat(config.kafka().bootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(config.schemaRegistry()).hasValue(new TurnoutConfig.SchemaRegistryConfig("http://127.0.0.1:8081"));
        assertThat(config.source().tables()).extracting(TableId::toString)
            .containsExactly("public.users", "public.conversations", "public.messages");
        assertThat(config.mappings()).hasSize(2);
        assertThat(config.mappings().get(0).to()).isEqualTo(TableId.parse("public.accounts"));
        assertThat(config.mappings().get(0).columns()).containsKeys("id", "email", "name");
        assertThat(config.mappings().get(1).to()).as("to defaults to from").isEqualTo(TableId.parse("public.messages"));
        assertThat(config.mappings().get(1).where()).hasValue("row.deleted_at == null");
        assertThat(config.clusters()).containsOnlyKeys("redpanda", "kafka");
        assertThat(config.clusters().get("redpanda").bootstrap()).isEqualTo("127.0.0.1:19092");
        assertThat(config.apply()).isEqualTo(new TurnoutConfig.ApplyConfig(500, 4, java.time.Duration.ofDays(7)));
        assertThat(config.targetTables()).extracting(TableId::toString)
            .containsExactly("public.accounts", "public.conversations", "public.messages");
        assertThat(config.rollout().onGateFailure()).isEqualTo(GateFailureAction.HOLD);
        assertThat(config.rollout().gates().errorRate().minCalls()).isEqualTo(100);
    }

    @Test
    void absentKeysTakeTheirDeclaredDefaults() {
        TurnoutConfig config = parse(MINIMAL).config();
        assertThat(config.mode()).isEqualTo(Mode.REPLICATE);
        assertThat(config.source().snapshot()).isEqualTo(SnapshotMode.INITIAL);
        assertThat(config.source().password().isEmpty()).isTrue();
        assertThat(config.schemaRegistry()).isEmpty();
        assertThat(config.mappings()).isEmpty();
        assertThat(config.reconcile().grace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.reconcile().ignore()).isEmpty();
        assertThat(config.dashboard().bind()).isEqualTo("127.0.0.1:8080");
        assertThat(config.service().bind()).isEqualTo("127.0.0.1:9464");
        assertThat(config.clusters()).isEmpty();
        assertThat(config.kafka().properties()).isEmpty();
    }

    @Test
    void rolloutKeysTakeTheirDefaults() {
        TurnoutConfig.RolloutConfig rollout = parse(MINIMAL).config().rollout();
        assertThat(rollout.ladder()).extracting(java.math.BigDecimal::toPlainString)
            .containsExactly("10", "25", "50", "75", "100");
        assertThat(rollout.onGateFailure()).isEqualTo(GateFailureAction.HOLD);
        assertThat(rollout.failFor()).isEqualTo(Duration.ofMinutes(1));
        assertThat(rollout.checkInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(rollout.gates().reconciliation().maxUnresolvedPercent()).isEqualByComparingTo("0.1");
        assertThat(rollout.gates().reconciliation().maxUnresolvedAge()).isEqualTo(Duration.ofMinutes(5));
        assertThat(rollout.gates().applyLag().maxRecords()).isEqualTo(10_000);
        assertThat(rollout.gates().deadLetters().maxNew()).isZero();
        assertThat(rollout.gates().errorRate().maxPercent()).isEqualByComparingTo("1");
        assertThat(rollout.gates().errorRate().minCalls()).isEqualTo(100);
    }

    @Test
    void rolloutPercentagesAcceptBasisPointsAndRejectTheRest() {
        TurnoutConfig.RolloutConfig rollout = parse(MINIMAL + """
            rollout:
              ladder: [0.5, 12.5%, 100]
              onGateFailure: rollback
            """).config().rollout();
        assertThat(rollout.ladder()).extracting(java.math.BigDecimal::toPlainString).containsExactly("0.5", "12.5", "100");
        assertThat(rollout.onGateFailure()).isEqualTo(GateFailureAction.ROLLBACK);

        assertThat(problems(MINIMAL + """
            rollout:
              ladder: [10, 0.001, 101]
              gates:
                errorRate: { maxPercent: lots }
            """)).containsExactly(
            "turnout.yaml:12:16: rollout.ladder[1]: expected a percentage from 0 to 100 with at most two decimals, "
                + "such as 25 or 0.5, got \"0.001\"",
            "turnout.yaml:12:23: rollout.ladder[2]: expected a percentage from 0 to 100 with at most two decimals, "
                + "such as 25 or 0.5, got \"101\"",
            "turnout.yaml:14:30: rollout.gates.errorRate.maxPercent: expected a percentage from 0 to 100 with at most "
                + "two decimals, such as 25 or 0.5, got \"lots\"");
    }

    @Test
    void rolloutLadderMustIncreaseFromAboveZero() {
        assertThat(problems(MINIMAL + """
            rollout:
              ladder: [0, 50, 25, 100]
              checkInterval: 0s
            """)).containsExactly(
            "turnout.yaml:12:12: rollout.ladder[0]: a ladder step must be above 0%; rollback goes to 0%",
            "turnout.yaml:12:19: rollout.ladder[2]: ladder steps must increase, but 25 follows 50",
            "turnout.yaml:13:18: rollout.checkInterval: the guard's check interval must be above 0s");
    }

    @Test
    void expandsEnvironmentReferencesWithDefaults() {
        String yaml = MINIMAL.replace("127.0.0.1:9092", "${BOOTSTRAP}")
            .replace("user: postgres\n  tables", "user: ${PGUSER:-replicator}\n  tables")
            + "reconcile:\n  grace: ${GRACE:-45s}\n";
        TurnoutConfig config = ConfigLoader.parse("turnout.yaml", yaml, Map.of("BOOTSTRAP", "10.1.2.3:9093")).config();
        assertThat(config.kafka().bootstrap()).isEqualTo("10.1.2.3:9093");
        assertThat(config.source().user()).isEqualTo("replicator");
        assertThat(config.reconcile().grace()).isEqualTo(Duration.ofSeconds(45));
        assertThat(problems(yaml, Map.of()))
            .containsExactly("turnout.yaml:3:14: kafka.bootstrap: environment variable BOOTSTRAP is not set; "
                + "set it or write ${BOOTSTRAP:-default}");
    }

    @Test
    void effectiveConfigMasksPasswordsAndCredentialProperties() {
        String yaml = MINIMAL.replace("user: postgres\n  tables", "user: postgres\n  password: ${PW}\n  tables")
            .replace("  bootstrap: 127.0.0.1:9092\n", """
                  bootstrap: 127.0.0.1:9092
                  properties:
                    security.protocol: SASL_SSL
                    sasl.jaas.config: org.apache.kafka.common.security.scram.ScramLoginModule required password="hunter2";
                    ssl.truststore.password: changeit
                """);
        LoadedConfig loaded = ConfigLoader.parse("turnout.yaml", yaml, Map.of("PW", "s3cret-pw"));
        assertThat(loaded.config().source().password().reveal()).isEqualTo("s3cret-pw");
        assertThat(loaded.effectiveYaml())
            .doesNotContain("s3cret-pw").doesNotContain("hunter2").doesNotContain("changeit")
            .contains("password: '******'")
            .contains("sasl.jaas.config: '******'")
            .contains("security.protocol: SASL_SSL")
            .contains("grace: PT30S");
        assertThat(loaded.config().toString()).doesNotContain("s3cret-pw");
    }

    @Test
    void collectsEveryProblemInOnePassInFileOrder() {
        String yaml = """
            pipeline: Shop
            kafka:
              bootstrap: localhost
            sourse:
              url: x
            target:
              url: jdbc:postgresql://127.0.0.1:5433/app
              user: postgres
            """;
        assertThat(problems(yaml)).containsExactly(
            "turnout.yaml:1:1: source: missing required key (expected a mapping (the source database))",
            "turnout.yaml:1:11: pipeline: expected a name of lower-case letters, digits and _ starting with a letter "
                + "(at most 40 characters), got \"Shop\"",
            "turnout.yaml:3:14: kafka.bootstrap: expected host:port[,host:port...], got \"localhost\"",
            "turnout.yaml:4:1: sourse: unknown key; did you mean 'source'?");
    }

    @Test
    void aMappingOfATableThatIsNotCapturedIsLocatedWithASuggestion() {
        String yaml = MINIMAL + """
            mappings:
              - from: public.userz
                key: [idd]
                columns:
                  id: row.id
            """;
        assertThat(problems(yaml)).containsExactly(
            "turnout.yaml:12:11: mappings[0].from: table public.userz is not in source.tables; did you mean 'public.users'?",
            "turnout.yaml:13:11: mappings[0].key[0]: key column 'idd' is not among mappings[0].columns; did you mean 'id'?");
    }

    @Test
    void duplicateKeysAreRejectedNotLastWins() {
        String yaml = MINIMAL + "pipeline: other\n";
        assertThat(problems(yaml)).containsExactly("turnout.yaml:11:1: pipeline: duplicate key; it is already set at line 1");
    }

    @Test
    void aWrongTypedPasswordIsReportedWithoutItsValue() {
        String yaml = MINIMAL.replace("user: postgres\n  tables", "user: postgres\n  password: [hunter2]\n  tables");
        assertThat(problems(yaml)).containsExactly("turnout.yaml:7:13: source.password: expected a string, got a list");
        String scalarYaml = MINIMAL.replace("user: postgres\n  tables", "user: postgres\n  password: {a: hunter2}\n  tables");
        assertThat(String.join("\n", problems(scalarYaml))).doesNotContain("hunter2");
    }

    @Test
    void anEmptyFileIsAnError() {
        assertThat(problems("# nothing here\n")).containsExactly(
            "turnout.yaml:1:1: the file is empty; expected a mapping with at least pipeline, kafka, source and target");
    }

    @Test
    void aMissingFileIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.load(Path.of("does-not-exist.yaml"), Map.of()))
            .isInstanceOf(ConfigException.class)
            .hasMessage("does-not-exist.yaml: no such file");
    }
}
