package dev.turnout.app.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.turnout.app.cli.TurnoutCommand;
import dev.turnout.core.TopicNames;
import dev.turnout.core.avro.AvroSerializer;
import dev.turnout.core.registry.RegistryClientConfig;
import dev.turnout.core.registry.embedded.EmbeddedSchemaRegistry;
import dev.turnout.schemas.reconcile.ReconcileSummary;
import dev.turnout.testkit.SharedInfrastructure;

/** The rollout verbs end to end against a real Kafka and registry: output, exit codes, recorded changes. */
class RolloutCommandTest {

    @TempDir
    Path dir;

    final String pipeline = "cli_" + UUID.randomUUID().toString().substring(0, 8);
    final String rollout = "checkout-" + UUID.randomUUID().toString().substring(0, 8);

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TurnoutCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    Path config(String extra, boolean externalRegistry) throws IOException {
        Path file = dir.resolve("turnout.yaml");
        Files.writeString(file, """
            pipeline: %s
            kafka:
              bootstrap: %s
            %s
            source:
              url: jdbc:postgresql://127.0.0.1:5432/app
              user: postgres
              tables: [public.users]
            target:
              url: jdbc:postgresql://127.0.0.1:5433/app
              user: postgres
            """.formatted(pipeline, SharedInfrastructure.kafka().bootstrap(),
            externalRegistry ? "schemaRegistry:\n  url: " + Registry.URL : "") + extra, StandardCharsets.UTF_8);
        return file;
    }

    Path config() throws IOException {
        return config("", true);
    }

    void plantSummary(long match, long mismatch, long missing) throws Exception {
        String topic = TopicNames.reconcileSummary(pipeline);
        SharedInfrastructure.kafka().createTopic(topic, 1, Map.of("cleanup.policy", "compact"));
        ReconcileSummary summary = ReconcileSummary.newBuilder().setTable("public.accounts").setMatch(match)
            .setMismatch(mismatch).setMissing(missing).setOldestUnresolvedAgeMs(mismatch + missing == 0 ? null : 5_000L)
            .setEmittedAt(Instant.now()).build();
        Map<String, Object> serde = new HashMap<>();
        serde.put(RegistryClientConfig.URL, Registry.URL);
        AvroSerializer values = new AvroSerializer();
        values.configure(serde, false);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(SharedInfrastructure.kafka().clientProperties(),
                new StringSerializer(), (org.apache.kafka.common.serialization.Serializer<Object>) values)) {
            producer.send(new ProducerRecord<>(topic, "public.accounts", summary)).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void setCreatesARolloutWithItsListsAndStatusListsIt() throws Exception {
        String c = config().toString();
        Result set = run("rollout", "set", rollout, "--percent", "10", "--allow", "u1,u2", "--reason", "canary",
            "--by", "alice", "-c", c);
        assertThat(set.code()).as(set.err()).isZero();
        assertThat(set.out()).contains("Rollout " + rollout + " created: 0% → 10% (set by alice: canary)",
            "Allow: u1, u2; deny: -");

        Result status = run("rollout", "status", "-c", c);
        assertThat(status.code()).as(status.err()).isZero();
        assertThat(status.out()).contains("ROLLOUT", "PERCENT", "ALLOW", "DENY", "HELD", "LAST CHANGE");
        assertThat(status.out().lines().filter(l -> l.startsWith(rollout + " "))).singleElement().asString()
            .matches(rollout + "\\s+10%\\s+2\\s+0\\s+no\\s+SET from 0% by alice at \\S+: canary");
    }

    @Test
    void statusOfOneRolloutChecksItsGatesAndSaysWhichDoNotApply() throws Exception {
        String c = config().toString();
        assertThat(run("rollout", "set", rollout, "--percent", "12.5", "--reason", "canary", "-c", c).code()).isZero();
        Result status = run("rollout", "status", rollout, "-c", c);
        assertThat(status.code()).as(status.err()).isZero();
        assertThat(status.out()).contains(
            "Rollout " + rollout + " (pipeline " + pipeline + "): 12.5% of keys on NEW",
            "Last change: SET from 0% by " + System.getProperty("user.name"),
            "Held: no",
            "Next step: 25%",
            "advance would move it to 25%.");
        assertThat(status.out().lines().filter(l -> l.startsWith("reconciliation"))).singleElement().asString()
            .matches("reconciliation\\s+not applicable\\s+topic " + TopicNames.reconcileSummary(pipeline).replace(".", "\\.")
                + " does not exist \\(reconciliation is not running\\)");
        assertThat(status.out()).containsPattern("apply-lag\\s+not applicable")
            .containsPattern("dead-letters\\s+not applicable");
    }

    @Test
    void advanceRefusesWithExitOneNamingTheFailingGateAndProceedsOnceItPasses() throws Exception {
        String c = config().toString();
        assertThat(run("rollout", "set", rollout, "--percent", "10", "--reason", "canary", "-c", c).code()).isZero();
        plantSummary(900, 80, 20);

        Result refused = run("rollout", "advance", rollout, "--by", "bob", "-c", c);
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err().strip()).startsWith("turnout rollout advance: Advance refused: rollout " + rollout
            + " stays at 10%: gate reconciliation fails: 10.00% of 1,000 keys in 1 table(s) are MISMATCH or MISSING")
            .doesNotContain("Exception");
        assertThat(run("rollout", "status", rollout, "-c", c).out())
            .contains("advance would be refused: gate reconciliation fails.");

        plantSummary(1_000, 0, 0);
        Result advanced = run("rollout", "advance", rollout, "--by", "bob", "-c", c);
        assertThat(advanced.code()).as(advanced.err()).isZero();
        assertThat(advanced.out()).containsPattern("reconciliation\\s+pass\\s+0.00% of 1,000 keys")
            .contains("Rollout " + rollout + ": 10% → 25% (advance by bob: next step of the ladder)");

        Result rollback = run("rollout", "rollback", rollout, "--reason", "5xx on checkout", "--by", "carol", "-c", c);
        assertThat(rollback.code()).as(rollback.err()).isZero();
        assertThat(rollback.out()).contains("Rollout " + rollout + ": 25% → 0% (rollback by carol: 5xx on checkout)");
        assertThat(run("rollout", "status", rollout, "-c", c).out()).contains(": 0% of keys on NEW",
            "Last change: ROLLBACK from 25% by carol at");
    }

    @Test
    void badInputExitsTwoWithOneLineNamingIt() throws Exception {
        String c = config().toString();
        Result percent = run("rollout", "set", rollout, "--percent", "12.345", "--reason", "x", "-c", c);
        assertThat(percent.code()).isEqualTo(2);
        assertThat(percent.err().strip()).isEqualTo("turnout rollout set: Invalid percentage '12.345': a percentage "
            + "has at most two decimals (a basis point), got 12.345");

        Result nothing = run("rollout", "set", rollout, "--reason", "x", "-c", c);
        assertThat(nothing.code()).isEqualTo(2);
        assertThat(nothing.err()).contains("Nothing to set for rollout " + rollout);

        Result noReason = run("rollout", "rollback", rollout, "-c", c);
        assertThat(noReason.code()).isEqualTo(2);
        assertThat(noReason.err()).contains("Missing required option: '--reason=TEXT'");

        assertThat(run("rollout", "set", rollout, "--percent", "50", "--reason", "x", "-c", c).code()).isZero();
        String typo = rollout.substring(0, rollout.length() - 1);
        Result unknown = run("rollout", "advance", typo, "-c", c);
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err().strip()).startsWith("turnout rollout advance: No rollout named '" + typo + "' in "
            + "turnout.rollout.state").endsWith("did you mean '" + rollout + "'?");

        Result badName = run("rollout", "set", "no spaces", "--percent", "5", "--reason", "x", "-c", c);
        assertThat(badName.code()).isEqualTo(2);
        assertThat(badName.err()).contains("a rollout name is 1 to 100 letters");
    }

    @Test
    void withoutAnExternalRegistryTheVerbsRunTheEmbeddedOne() throws Exception {
        String c = config("", false).toString();
        Result set = run("rollout", "set", rollout, "--percent", "1", "--reason", "embedded registry", "-c", c);
        assertThat(set.code()).as(set.err()).isZero();
        assertThat(run("rollout", "status", "-c", c).out()).containsPattern(rollout + "\\s+1%");
    }

    @Test
    void theGuardVerbRollsBackARolloutWhoseGateKeepsFailingUntilStopped() throws Exception {
        String c = config("rollout:\n  onGateFailure: rollback\n  failFor: 1s\n  checkInterval: 200ms\n", true).toString();
        assertThat(run("rollout", "set", rollout, "--percent", "25", "--reason", "canary", "-c", c).code()).isZero();
        plantSummary(900, 80, 20);

        AtomicInteger exit = new AtomicInteger(-1);
        StringWriter err = new StringWriter();
        Thread guard = new Thread(() -> exit.set(TurnoutCommand.execute(new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true), "rollout", "guard", "-c", c)), "test-guard");
        guard.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> run("rollout", "status", rollout, "-c", c).out()
                .contains(": 0% of keys on NEW"));
            assertThat(run("rollout", "status", rollout, "-c", c).out())
                .containsPattern("Last change: ROLLBACK from 25% by turnout-guard at \\S+: gate reconciliation has failed");
            assertThat(err.toString()).contains("Guarding the rollouts of pipeline " + pipeline);
        } finally {
            guard.interrupt();
            guard.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertThat(exit.get()).isZero();
    }

    private static final class Registry {
        static final EmbeddedSchemaRegistry INSTANCE = EmbeddedSchemaRegistry.start(
            EmbeddedSchemaRegistry.Settings.of(SharedInfrastructure.kafka().bootstrap()));
        static final String URL = INSTANCE.url();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(INSTANCE::close, "turnout-rollout-cli-registry-stop"));
        }
    }
}
