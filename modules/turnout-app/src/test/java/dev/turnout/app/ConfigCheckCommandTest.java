package dev.turnout.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.turnout.app.cli.TurnoutCommand;

class ConfigCheckCommandTest {

    static final String VALID = """
        pipeline: shop
        kafka:
          bootstrap: 127.0.0.1:9092
        source:
          url: jdbc:postgresql://127.0.0.1:5432/app
          user: postgres
          password: hunter2
          tables: [public.users, public.orders]
        target:
          url: jdbc:postgresql://127.0.0.1:5433/app
          user: postgres
        """;

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TurnoutCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    Result check(String yaml) throws IOException {
        Path file = dir.resolve("turnout.yaml");
        Files.writeString(file, yaml);
        return run("config", "check", "-c", file.toString());
    }

    @Test
    void aValidFilePrintsTheEffectiveConfigWithSecretsMaskedAndExitsZero() throws IOException {
        Result r = check(VALID);
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("pipeline: shop", "snapshot: initial", "password: '******'", "bind: 127.0.0.1:8080")
            .doesNotContain("hunter2");
        assertThat(r.err()).endsWith("turnout.yaml: valid\n").doesNotContain("hunter2");
    }

    @Test
    void theShippedExamplePassesTheCheck() {
        Result r = run("config", "check", "-c", "../../examples/turnout.yaml");
        assertThat(r.code()).as(r.err()).isZero();
    }

    static Stream<Arguments> brokenConfigs() {
        return Stream.of(
            Arguments.of("wrong type", VALID.replace("tables: [public.users, public.orders]", "tables: public.users"),
                "turnout.yaml:8:11: source.tables: expected a non-empty list of schema.table, got \"public.users\""),
            Arguments.of("missing required key", VALID.replace("  url: jdbc:postgresql://127.0.0.1:5432/app\n", ""),
                "turnout.yaml:4:1: source.url: missing required key (expected a JDBC URL such as "
                    + "jdbc:postgresql://host:5432/database)"),
            Arguments.of("unknown key with suggestion", VALID + "reconcile:\n  grase: 10s\n",
                "turnout.yaml:13:3: reconcile.grase: unknown key; did you mean 'grace'?"),
            Arguments.of("bad ${VAR} reference", VALID.replace("password: hunter2", "password: ${TURNOUT_TEST_UNSET_PW}"),
                "turnout.yaml:7:13: source.password: environment variable TURNOUT_TEST_UNSET_PW is not set; set it or "
                    + "write ${TURNOUT_TEST_UNSET_PW:-default}"),
            Arguments.of("YAML syntax error", VALID.replace("  user: postgres\n  password", "  user: postgres\n password"),
                "turnout.yaml:7:2: YAML syntax error: expected <block end>, but found '<block mapping start>' while parsing "
                    + "a block mapping; check the indentation"),
            Arguments.of("invalid table name", VALID.replace("[public.users, public.orders]", "[public.users, orders]"),
                "turnout.yaml:8:26: source.tables[1]: expected schema.table, got \"orders\""),
            Arguments.of("invalid bootstrap", VALID.replace("bootstrap: 127.0.0.1:9092", "bootstrap: 127.0.0.1:99999"),
                "turnout.yaml:3:14: kafka.bootstrap: expected host:port[,host:port...], got \"127.0.0.1:99999\" "
                    + "(port must be from 1 to 65535)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenConfigs")
    void aBrokenConfigPrintsTheLocatedProblemAndExitsTwo(String name, String yaml, String expected) throws IOException {
        Result r = check(yaml);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).first().isEqualTo(expected.replace("turnout.yaml", dir.resolve("turnout.yaml").toString()));
        assertThat(r.err()).doesNotContain("hunter2").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aMissingFileExitsTwo() {
        Result r = run("config", "check", "-c", dir.resolve("nope.yaml").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith(dir.resolve("nope.yaml") + ": no such file\n");
    }

    @Test
    void aMissingOptionIsAUsageErrorExitingTwo() {
        Result r = run("config", "check");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--config=FILE'");
    }

    @Test
    void helpAndVersionExitZero() {
        Result help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: turnout", "config", "Exit codes:");
        Result version = run("--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("turnout 0.1.0-SNAPSHOT");
    }
}
