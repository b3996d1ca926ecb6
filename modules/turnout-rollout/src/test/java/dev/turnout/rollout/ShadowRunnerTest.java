package dev.turnout.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.turnout.core.TopicNames;
import dev.turnout.core.avro.AvroDeserializer;
import dev.turnout.core.avro.AvroSerdeConfig;
import dev.turnout.core.registry.RegistryClientConfig;
import dev.turnout.schemas.rollout.ShadowDiff;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The parallel run: the caller gets the routed system's answer; the other is compared in the background, bounded. */
class ShadowRunnerTest {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    final String pipeline = RolloutTesting.unique("shadowed");
    final String rollout = RolloutTesting.unique("profile");
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    RolloutControl control;
    RolloutRouter router;
    ShadowRunner<String> shadow;

    @BeforeEach
    void start() throws Exception {
        control = RolloutControl.connect(RolloutTesting.settings(), pipeline, RolloutTesting.defaults());
        control.set(rollout, Optional.of(BasisPoints.NONE), Optional.of(Set.of("moved-user")), Optional.empty(),
            "shadow test", "tester");
        router = RolloutRouter.builder(RolloutTesting.settings()).meterRegistry(new SimpleMeterRegistry()).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> router.state(rollout).isPresent());
        shadow = ShadowRunner.<String>builder(router, rollout, RolloutTesting.settings(), pipeline)
            .timeout(TIMEOUT).meterRegistry(meters).build();
    }

    @AfterEach
    void stop() {
        shadow.close();
        router.close();
        control.close();
    }

    double count(String meter) {
        return meters.get(meter).tag("rollout", rollout).counter().count();
    }

    @Test
    void aPlantedDiscrepancyIsPublishedWithTheKeyAndBothResultsWhileTheCallerGetsTheOldOne() throws Exception {
        String answer = shadow.read("user-1", () -> "alice@example.com", () -> "alice@example.org");
        assertThat(answer).as("the key is on OLD").isEqualTo("alice@example.com");

        await().atMost(Duration.ofSeconds(30)).until(() -> count(RolloutMetrics.SHADOW_DIFFS) == 1.0);
        assertThat(count(RolloutMetrics.SHADOW_COMPARED)).isEqualTo(1.0);
        List<ShadowDiff> diffs = diffs(1);
        assertThat(diffs).singleElement().satisfies(d -> {
            assertThat(d.getKey()).isEqualTo("user-1");
            assertThat(d.getRollout()).isEqualTo(rollout);
            assertThat(d.getKind()).isEqualTo("MISMATCH");
            assertThat(d.getPrimary()).isEqualTo("OLD");
            assertThat(d.getOldResult()).isEqualTo("alice@example.com");
            assertThat(d.getNewResult()).isEqualTo("alice@example.org");
        });

        assertThat(shadow.read("user-2", () -> "bob", () -> "bob")).isEqualTo("bob");
        await().atMost(Duration.ofSeconds(30)).until(() -> count(RolloutMetrics.SHADOW_COMPARED) == 2.0);
        assertThat(count(RolloutMetrics.SHADOW_DIFFS)).as("equal answers are no discrepancy").isEqualTo(1.0);
    }

    @Test
    void aKeyTheRouterMovedGetsTheNewAnswer() throws Exception {
        assertThat(shadow.read("moved-user", () -> "old answer", () -> "new answer")).isEqualTo("new answer");
        await().atMost(Duration.ofSeconds(30)).until(() -> count(RolloutMetrics.SHADOW_DIFFS) == 1.0);
        assertThat(diffs(1)).singleElement().satisfies(d -> {
            assertThat(d.getPrimary()).isEqualTo("NEW");
            assertThat(d.getOldResult()).isEqualTo("old answer");
            assertThat(d.getNewResult()).isEqualTo("new answer");
        });
    }

    @Test
    void aHangingShadowSideDoesNotDelayTheCallerBeyondTheTimeoutAndIsAbandoned() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> {
            try {
                return shadow.read("user-3", () -> "old", () -> {
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                        throw e;
                    }
                    return "new";
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // The bound the runner promises: the caller has its answer within the shadow timeout.
        await().atMost(TIMEOUT).until(call::isDone);
        assertThat(call.join()).isEqualTo("old");

        await().atMost(Duration.ofSeconds(30)).until(() -> count(RolloutMetrics.SHADOW_TIMEOUTS) == 1.0);
        await().atMost(Duration.ofSeconds(30)).untilTrue(interrupted);
        assertThat(count(RolloutMetrics.SHADOW_COMPARED)).isZero();
        never.countDown();
    }

    @Test
    void aFailingShadowSideNeverReachesTheCallerAndIsPublishedAsShadowFailed() throws Exception {
        assertThat(shadow.read("user-4", () -> "old", () -> {
            throw new IllegalStateException("new store down");
        })).isEqualTo("old");
        await().atMost(Duration.ofSeconds(30)).until(() -> count(RolloutMetrics.SHADOW_ERRORS) == 1.0);
        assertThat(diffs(1)).singleElement().satisfies(d -> {
            assertThat(d.getKind()).isEqualTo("SHADOW_FAILED");
            assertThat(d.getOldResult()).isEqualTo("old");
            assertThat(d.getNewResult()).isEqualTo("error: java.lang.IllegalStateException: new store down");
        });
    }

    @Test
    void aFailingPrimaryReachesTheCallerUnchanged() {
        IllegalStateException down = new IllegalStateException("old store down");
        assertThatThrownBy(() -> shadow.read("user-5", () -> {
            throw down;
        }, () -> "new")).isSameAs(down);
        await().atMost(Duration.ofSeconds(30)).until(() -> count(RolloutMetrics.SHADOW_SKIPPED) == 1.0);
        assertThat(count(RolloutMetrics.SHADOW_COMPARED)).isZero();
    }

    /** Reads the shadow-diffs topic until {@code expected} records are there. */
    List<ShadowDiff> diffs(int expected) {
        String topic = TopicNames.shadowDiffs(pipeline);
        Map<String, Object> props = new HashMap<>(RolloutTesting.kafka().clientProperties());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, Object> serde = Map.of(RegistryClientConfig.URL, RolloutTesting.registryUrl(),
            AvroSerdeConfig.SPECIFIC_AVRO_READER, true,
            AvroSerdeConfig.SPECIFIC_AVRO_TRUSTED_PACKAGES, "dev.turnout.schemas.rollout");
        AvroDeserializer values = new AvroDeserializer();
        values.configure(serde, false);
        List<ShadowDiff> out = new ArrayList<>();
        try (org.apache.kafka.clients.admin.Admin admin = RolloutTesting.kafka().admin()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.listTopics().names().get().contains(topic));
        }
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                (org.apache.kafka.common.serialization.Deserializer<Object>) values)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add((ShadowDiff) r.value()));
                return out.size() >= expected;
            });
        }
        return out;
    }
}
