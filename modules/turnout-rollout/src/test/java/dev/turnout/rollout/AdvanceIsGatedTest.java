package dev.turnout.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import dev.turnout.core.TopicNames;
import dev.turnout.core.config.TableId;
import dev.turnout.core.config.TurnoutConfig.RolloutConfig;

/** advance moves to the next step only when every gate passes or does not apply, and names the gates that fail. */
class AdvanceIsGatedTest {

    final String pipeline = RolloutTesting.unique("gated");
    final String rollout = RolloutTesting.unique("checkout");

    RolloutControl control(RolloutConfig config) {
        return RolloutControl.connect(RolloutTesting.settings(), pipeline, config);
    }

    static Optional<BasisPoints> percent(String p) {
        return Optional.of(BasisPoints.parse(p));
    }

    static GateResult gate(RolloutControl.Change change, String name) {
        return change.gates().stream().filter(g -> g.gate().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void plantedReconciliationMismatchesAboveTheThresholdMakeAdvanceRefuseNamingTheGate() throws Exception {
        try (RolloutControl control = control(RolloutTesting.defaults())) {
            control.set(rollout, percent("10"), Optional.empty(), Optional.empty(), "canary", "alice");

            RolloutControl.Change first = control.advance(rollout, Optional.empty(), "alice");
            assertThat(first.after().share()).isEqualTo(BasisPoints.parse("25"));
            assertThat(gate(first, "reconciliation").status()).isEqualTo(GateStatus.NOT_APPLICABLE);
            assertThat(gate(first, "reconciliation").detail()).contains(TopicNames.reconcileSummary(pipeline),
                "does not exist");

            RolloutTesting.plantSummary(pipeline, "public.accounts", 9_000, 60, 40, 120_000L);
            assertThatThrownBy(() -> control.advance(rollout, Optional.empty(), "alice"))
                .isInstanceOfSatisfying(RolloutException.class, e -> assertThat(e.kind()).isEqualTo(RolloutException.Kind.REFUSED))
                .hasMessageContaining("rollout " + rollout + " stays at 25%")
                .hasMessageContaining("gate reconciliation fails: 1.10% of 9,100 keys in 1 table(s) are MISMATCH or "
                    + "MISSING (max 0.1%)")
                .hasMessageContaining("most in public.accounts: 60 mismatch, 40 missing");
            assertThat(control.get(rollout).share()).isEqualTo(BasisPoints.parse("25"));

            RolloutTesting.plantSummary(pipeline, "public.accounts", 9_100, 0, 0, null);
            RolloutControl.Change repaired = control.advance(rollout, Optional.of("reconciled again"), "alice");
            assertThat(repaired.after().share()).isEqualTo(BasisPoints.parse("50"));
            assertThat(gate(repaired, "reconciliation").status()).isEqualTo(GateStatus.PASS);
            RolloutChange change = control.get(rollout).lastChange().orElseThrow();
            assertThat(change.action()).isEqualTo(RolloutChange.Action.ADVANCE);
            assertThat(change.by()).isEqualTo("alice");
            assertThat(change.reason()).isEqualTo("reconciled again");
            assertThat(change.from()).isEqualTo(BasisPoints.parse("25"));
        }
    }

    @Test
    void anOldUnresolvedDifferenceFailsTheGateEvenWhenTheShareIsSmall() throws Exception {
        try (RolloutControl control = control(RolloutTesting.defaults())) {
            control.set(rollout, percent("10"), Optional.empty(), Optional.empty(), "canary", "alice");
            RolloutTesting.plantSummary(pipeline, "public.accounts", 100_000, 1, 0, Duration.ofMinutes(10).toMillis());
            assertThatThrownBy(() -> control.advance(rollout, Optional.empty(), "alice"))
                .hasMessageContaining("gate reconciliation fails: 0.00% of 100,001 keys")
                .hasMessageContaining("oldest unresolved 10m");
        }
    }

    @Test
    void deadLettersWithinTheWindowMakeAdvanceRefuse() throws Exception {
        String dlq = TopicNames.deadLetters(pipeline);
        RolloutTesting.kafka().createTopic(dlq, 2, Map.of());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(RolloutTesting.kafka().clientProperties(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(dlq, i % 2, null, "poison".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
            }
        }
        try (RolloutControl control = control(RolloutTesting.defaults())) {
            control.set(rollout, percent("10"), Optional.empty(), Optional.empty(), "canary", "alice");
            assertThatThrownBy(() -> control.advance(rollout, Optional.empty(), "alice"))
                .hasMessageContaining("gate dead-letters fails: 3 record(s) reached " + dlq + " in the last 5m (max 0)");
        }
        try (RolloutControl tolerant = control(RolloutTesting.config("rollout:\n  gates:\n    deadLetters: { maxNew: 3 }\n"))) {
            assertThat(gate(tolerant.advance(rollout, Optional.empty(), "alice"), "dead-letters").status())
                .isEqualTo(GateStatus.PASS);
        }
    }

    @Test
    void applyLagAboveTheThresholdMakesAdvanceRefuseUntilTheApplierCatchesUp() throws Exception {
        String topic = TopicNames.apply(pipeline, TableId.parse("public.accounts"));
        RolloutTesting.kafka().createTopic(topic, 1, Map.of());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(RolloutTesting.kafka().clientProperties(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 25; i++) {
                producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(StandardCharsets.UTF_8), new byte[1]));
            }
            producer.flush();
        }
        RolloutConfig config = RolloutTesting.config("rollout:\n  gates:\n    applyLag: { maxRecords: 10 }\n");
        try (RolloutControl control = control(config)) {
            control.set(rollout, percent("10"), Optional.empty(), Optional.empty(), "canary", "alice");
            assertThatThrownBy(() -> control.advance(rollout, Optional.empty(), "alice"))
                .hasMessageContaining("gate apply-lag fails: group " + TopicNames.applyGroup(pipeline)
                    + " is 25 record(s) behind on 1 partition(s) of 1 apply topic(s) (max 10)");

            try (Admin admin = RolloutTesting.kafka().admin()) {
                admin.alterConsumerGroupOffsets(TopicNames.applyGroup(pipeline),
                    Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(20))).all().get(30, TimeUnit.SECONDS);
            }
            RolloutControl.Change advanced = control.advance(rollout, Optional.empty(), "alice");
            assertThat(gate(advanced, "apply-lag").status()).isEqualTo(GateStatus.PASS);
            assertThat(gate(advanced, "apply-lag").detail()).contains("is 5 record(s) behind");
        }
    }

    @Test
    void theServicesOwnErrorRateOnNewMakesAdvanceRefuseOnceThereAreEnoughCalls() throws Exception {
        RolloutConfig config = RolloutTesting.config("rollout:\n  gates:\n    errorRate: { maxPercent: 1, minCalls: 50 }\n");
        try (RolloutControl control = control(config);
             RolloutSignals signals = RolloutSignals.start(RolloutTesting.settings(), Duration.ofHours(1))) {
            control.set(rollout, percent("10"), Optional.empty(), Optional.empty(), "canary", "alice");
            for (int i = 0; i < 40; i++) {
                signals.recordSuccess(rollout, Route.NEW);
            }
            for (int i = 0; i < 500; i++) {
                signals.recordError(rollout, Route.OLD);
            }
            signals.flush();
            RolloutControl.Change tooFew = control.advance(rollout, Optional.empty(), "alice");
            assertThat(gate(tooFew, "error-rate").status()).isEqualTo(GateStatus.NOT_APPLICABLE);
            assertThat(gate(tooFew, "error-rate").detail())
                .startsWith("40 call(s) on NEW in the last 5m, fewer than the 50 needed to judge; OLD: 100.00% of 500");

            for (int i = 0; i < 50; i++) {
                signals.recordSuccess(rollout, Route.NEW);
            }
            for (int i = 0; i < 10; i++) {
                signals.recordError(rollout, Route.NEW);
            }
            signals.flush();
            assertThatThrownBy(() -> control.advance(rollout, Optional.empty(), "alice"))
                .hasMessageContaining("gate error-rate fails: NEW: 10.00% of 100 call(s) failed in the last 5m (max 1%)");
        }
    }

    @Test
    void advanceAtTheLastStepRefusesAndAnUnknownRolloutIsNamedWithASuggestion() {
        try (RolloutControl control = control(RolloutTesting.defaults())) {
            control.set(rollout, percent("100"), Optional.empty(), Optional.empty(), "all in", "alice");
            assertThatThrownBy(() -> control.advance(rollout, Optional.empty(), "alice"))
                .isInstanceOfSatisfying(RolloutException.class, e -> assertThat(e.kind()).isEqualTo(RolloutException.Kind.REFUSED))
                .hasMessage("Rollout " + rollout + " is at 100%, at or beyond the last step of the ladder "
                    + "(10%, 25%, 50%, 75%, 100%)");
            String typo = rollout.substring(0, rollout.length() - 1);
            assertThatThrownBy(() -> control.rollback(typo, "oops", "alice"))
                .isInstanceOfSatisfying(RolloutException.class,
                    e -> assertThat(e.kind()).isEqualTo(RolloutException.Kind.INVALID_INPUT))
                .hasMessageStartingWith("No rollout named '" + typo + "' in turnout.rollout.state")
                .hasMessageContaining("did you mean '" + rollout + "'?");
        }
    }
}
