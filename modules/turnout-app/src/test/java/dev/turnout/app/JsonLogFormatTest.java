package dev.turnout.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.turnout.app.cli.TurnoutCommand;
import dev.turnout.app.logging.LogFormat;
import dev.turnout.testkit.LoopbackPorts;

/**
 * JSON logs for log pipelines: the shipped log4j2.xml writes one ECS JSON object per event when the JSON format is
 * chosen, and the CLI chooses it from {@code --log-format json} or {@code TURNOUT_LOG_FORMAT=json}, turning its own error
 * lines into events too, so that every line on stderr parses.
 */
class JsonLogFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shippedConfigWritesOneEcsObjectPerEventWithTheStackTraceInside() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        URI shipped = getClass().getResource("/log4j2.xml").toURI();
        // A context of its own, so the test JVM's logging is left alone.
        LoggerContext context = new LoggerContext("json-test", null, shipped);
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            System.setProperty(LogFormat.PROPERTY, "json");
            context.start();
            Logger log = context.getLogger("dev.turnout.apply.Applier");
            log.info("Applied batch of {} rows to public.accounts", 42);
            log.error("Batch failed", new IllegalStateException("target unreachable", new RuntimeException("root")));
        } finally {
            context.stop();
            System.clearProperty(LogFormat.PROPERTY);
            System.setErr(originalErr);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).as("one line per event").hasSize(2);
        JsonNode info = JSON.readTree(lines.get(0));
        assertThat(info.get("message").asText()).isEqualTo("Applied batch of 42 rows to public.accounts");
        assertThat(info.get("log.level").asText()).isEqualTo("INFO");
        assertThat(info.get("log.logger").asText()).isEqualTo("dev.turnout.apply.Applier");
        assertThat(info.get("service.name").asText()).isEqualTo("turnout");
        assertThat(info.get("ecs.version").asText()).isNotBlank();
        assertThat(info.get("@timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(info.get("process.thread.name").asText()).isEqualTo(Thread.currentThread().getName());
        JsonNode error = JSON.readTree(lines.get(1));
        assertThat(error.get("log.level").asText()).isEqualTo("ERROR");
        assertThat(error.get("error.type").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.get("error.message").asText()).isEqualTo("target unreachable");
        assertThat(error.get("error.stack_trace").asText()).contains("\tat ", "Caused by: java.lang.RuntimeException: root");
    }

    @Test
    void logFormatOptionTurnsStderrIntoJsonLines() throws Exception {
        Result result = run(List.of("--log-format", "json"), null);
        assertEveryStderrLineIsAnEcsObjectAndTheFailureIsAnErrorEvent(result);
    }

    @Test
    void environmentVariableSelectsJsonWithoutTheOption() throws Exception {
        Result result = run(List.of(), "json");
        assertEveryStderrLineIsAnEcsObjectAndTheFailureIsAnErrorEvent(result);
    }

    @Test
    void textRemainsTheDefault() throws Exception {
        Result result = run(List.of(), null);
        assertThat(result.exit()).isEqualTo(3);
        assertThat(result.stderr()).isNotEmpty().noneMatch(l -> l.startsWith("{"));
        assertThat(result.stderr()).anyMatch(l -> l.startsWith("turnout status: "));
    }

    @Test
    void anUnknownFormatIsAUsageErrorNamingOptionAndVariable() {
        StringWriter err = new StringWriter();
        int exit = TurnoutCommand.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
            "--log-format", "xml", "config", "check", "-c", "turnout.yaml");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("expected text or json, got 'xml' (--log-format or TURNOUT_LOG_FORMAT)");
    }

    private static void assertEveryStderrLineIsAnEcsObjectAndTheFailureIsAnErrorEvent(Result result) throws Exception {
        assertThat(result.exit()).isEqualTo(3);
        assertThat(result.stderr()).isNotEmpty();
        List<JsonNode> events = new ArrayList<>();
        for (String line : result.stderr()) {
            events.add(JSON.readTree(line));
        }
        assertThat(events).allSatisfy(e -> assertThat(e.has("@timestamp") && e.has("log.level") && e.has("message"))
            .as("ECS fields in %s", e).isTrue());
        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("log.level").asText()).isEqualTo("ERROR");
            assertThat(e.get("message").asText()).startsWith("turnout status: ");
        });
        // --verbose: the failure's stack trace is a DEBUG event, inside its JSON object.
        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("log.level").asText()).isEqualTo("DEBUG");
            assertThat(e.get("error.stack_trace").asText()).contains("\tat ");
        });
    }

    private record Result(int exit, List<String> stderr) {
    }

    /** {@code turnout [options] --verbose slot status} against a database nobody listens on: fails fast, logs. */
    private Result run(List<String> options, String envFormat) throws Exception {
        int closedPort = LoopbackPorts.freePort();
        Path config = dir.resolve("turnout.yaml");
        Files.writeString(config, """
            pipeline: logs
            kafka:
              bootstrap: 127.0.0.1:9092
            source:
              url: jdbc:postgresql://127.0.0.1:%d/app
              user: postgres
              tables: [public.items]
            target:
              url: jdbc:postgresql://127.0.0.1:%d/app
              user: postgres
            """.formatted(closedPort, closedPort));
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
            "-Xmx256m", "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
            Main.class.getName()));
        command.addAll(options);
        command.addAll(List.of("--verbose", "slot", "status", "-c", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove(LogFormat.ENV);
        if (envFormat != null) {
            pb.environment().put(LogFormat.ENV, envFormat);
        }
        Path stderr = dir.resolve("stderr.txt");
        pb.redirectError(stderr.toFile());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process = pb.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("turnout exits").isTrue();
        return new Result(process.exitValue(), Files.readAllLines(stderr, StandardCharsets.UTF_8));
    }
}
