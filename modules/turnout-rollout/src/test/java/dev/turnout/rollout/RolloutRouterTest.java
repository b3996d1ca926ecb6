package dev.turnout.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class RolloutRouterTest {

    static final int KEYS = 100_000;
    static final List<String> USERS = IntStream.range(0, KEYS).mapToObj(i -> "user-" + i).toList();

    static RolloutControl control;

    @BeforeAll
    static void connect() {
        control = RolloutControl.connect(RolloutTesting.settings(), "shop", RolloutTesting.defaults());
    }

    @AfterAll
    static void close() {
        control.close();
    }

    static RolloutRouter router(SimpleMeterRegistry meters) throws InterruptedException {
        RolloutRouter router = RolloutRouter.builder(RolloutTesting.settings()).meterRegistry(meters).start();
        assertThat(router.awaitReady(Duration.ofSeconds(60))).as("router read the state").isTrue();
        return router;
    }

    static void set(String rollout, String percent) {
        control.set(rollout, Optional.of(BasisPoints.parse(percent)), Optional.empty(), Optional.empty(), "test", "tester");
    }

    static void awaitShare(RolloutRouter router, String rollout, String percent) {
        BasisPoints expected = BasisPoints.parse(percent);
        await().atMost(Duration.ofSeconds(30)).until(() -> router.state(rollout).map(RolloutState::share)
            .filter(expected::equals).isPresent());
    }

    static Route[] routes(RolloutRouter router, String rollout) {
        return USERS.stream().map(u -> router.route(rollout, u)).toArray(Route[]::new);
    }

    static long newCount(Route[] routes) {
        return java.util.Arrays.stream(routes).filter(r -> r == Route.NEW).count();
    }

    @Test
    void aQuarterOfOneHundredThousandKeysGoToNewAtTwentyFivePercentAndRaisingToFiftyMovesNoKeyBack() throws Exception {
        String rollout = RolloutTesting.unique("split");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (RolloutRouter router = router(meters)) {
            set(rollout, "25");
            awaitShare(router, rollout, "25");
            Route[] atQuarter = routes(router, rollout);
            assertThat(newCount(atQuarter)).as("keys on NEW at 25%").isBetween(24_500L, 25_500L);
            assertThat(meters.get(RolloutMetrics.PERCENT).tag("rollout", rollout).gauge().value()).isEqualTo(25.0);

            set(rollout, "50");
            awaitShare(router, rollout, "50");
            Route[] atHalf = routes(router, rollout);
            assertThat(newCount(atHalf)).as("keys on NEW at 50%").isBetween(49_500L, 50_500L);
            for (int i = 0; i < KEYS; i++) {
                if (atQuarter[i] == Route.NEW) {
                    assertThat(atHalf[i]).as("%s was NEW at 25%%", USERS.get(i)).isEqualTo(Route.NEW);
                }
            }
        }
    }

    @Test
    void twoRoutersAndARestartedOneAgreeOnEveryKeyAndOnTheLists() throws Exception {
        String rollout = RolloutTesting.unique("agree");
        // Listed keys on the other side of the share, so the lists, not the buckets, decide them.
        String aboveShare = USERS.stream().filter(u -> Buckets.bucket(rollout, u) >= 5_000).findFirst().orElseThrow();
        String belowShare = USERS.stream().filter(u -> Buckets.bucket(rollout, u) < 5_000).findFirst().orElseThrow();
        String inBoth = USERS.stream().filter(u -> Buckets.bucket(rollout, u) < 5_000 && !u.equals(belowShare))
            .findFirst().orElseThrow();
        control.set(rollout, Optional.of(BasisPoints.parse("50")), Optional.of(Set.of(aboveShare, inBoth)),
            Optional.of(Set.of(belowShare, inBoth)), "lists", "tester");
        RolloutRouter first = router(new SimpleMeterRegistry());
        try (RolloutRouter second = router(new SimpleMeterRegistry())) {
            Route[] byFirst;
            try {
                awaitShare(first, rollout, "50");
                awaitShare(second, rollout, "50");
                byFirst = routes(first, rollout);
                assertThat(routes(second, rollout)).containsExactly(byFirst);
                assertThat(newCount(byFirst)).isBetween(49_500L, 50_500L);
                assertThat(first.route(rollout, aboveShare)).as("allowed above the share").isEqualTo(Route.NEW);
                assertThat(first.route(rollout, belowShare)).as("denied below the share").isEqualTo(Route.OLD);
                assertThat(first.route(rollout, inBoth)).as("allowed and denied: deny wins").isEqualTo(Route.OLD);
            } finally {
                first.close();
            }
            try (RolloutRouter restarted = router(new SimpleMeterRegistry())) {
                awaitShare(restarted, rollout, "50");
                assertThat(routes(restarted, rollout)).containsExactly(byFirst);
            }
        }
    }

    @Test
    void aSetReachesRunningRoutersInUnderOneSecond() throws Exception {
        String rollout = RolloutTesting.unique("live");
        set(rollout, "0");
        try (RolloutRouter a = router(new SimpleMeterRegistry()); RolloutRouter b = router(new SimpleMeterRegistry())) {
            awaitShare(a, rollout, "0");
            awaitShare(b, rollout, "0");
            assertThat(a.route(rollout, "user-7")).isEqualTo(Route.OLD);

            set(rollout, "100");
            await().atMost(Duration.ofSeconds(1)).until(() -> a.route(rollout, "user-7") == Route.NEW
                && b.route(rollout, "user-7") == Route.NEW);

            control.rollback(rollout, "back out", "tester");
            await().atMost(Duration.ofSeconds(1)).until(() -> a.route(rollout, "user-7") == Route.OLD
                && b.route(rollout, "user-7") == Route.OLD);
        }
    }

    @Test
    void unknownRolloutsGetTheSafeDefault() throws Exception {
        try (RolloutRouter router = router(new SimpleMeterRegistry())) {
            assertThat(router.route(RolloutTesting.unique("never-set"), "user-1")).isEqualTo(Route.OLD);
        }
        try (RolloutRouter router = RolloutRouter.builder(RolloutTesting.settings()).safeDefault(Route.NEW)
                .meterRegistry(new SimpleMeterRegistry()).start()) {
            assertThat(router.awaitReady(Duration.ofSeconds(60))).isTrue();
            assertThat(router.route(RolloutTesting.unique("never-set"), "user-1")).isEqualTo(Route.NEW);
        }
    }
}
