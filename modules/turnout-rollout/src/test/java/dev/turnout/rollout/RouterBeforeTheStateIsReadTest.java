package dev.turnout.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.turnout.testkit.KafkaCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A router whose cluster is down answers its safe default, and follows the state once the cluster is back. */
class RouterBeforeTheStateIsReadTest {

    @Test
    void answersTheSafeDefaultUntilItHasReadTheStateThenFollowsIt() throws Exception {
        String rollout = RolloutTesting.unique("all-in");
        try (KafkaCluster cluster = KafkaCluster.builder().name("rollout-down").start()) {
            RolloutSettings settings = RolloutSettings.of(cluster.bootstrap(), RolloutTesting.registryUrl());
            try (RolloutControl control = RolloutControl.connect(settings, "shop", RolloutTesting.defaults())) {
                control.set(rollout, Optional.of(BasisPoints.ALL), Optional.empty(), Optional.empty(), "all in", "tester");
            }
            cluster.stop();
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            // Short requests, so the router retries soon after the cluster is back.
            try (RolloutRouter router = RolloutRouter.builder(settings.withRequestTimeout(Duration.ofSeconds(2)))
                    .meterRegistry(meters).start()) {
                assertThat(router.isReady()).isFalse();
                assertThat(router.route(rollout, "user-1")).as("safe default while the state is unread")
                    .isEqualTo(Route.OLD);
                assertThat(meters.get(RolloutMetrics.ROUTER_READY).gauge().value()).isZero();

                cluster.restart();
                await().atMost(Duration.ofSeconds(60)).until(router::isReady);
                assertThat(router.route(rollout, "user-1")).isEqualTo(Route.NEW);
                assertThat(meters.get(RolloutMetrics.ROUTER_READY).gauge().value()).isEqualTo(1.0);
            }
        }
    }
}
