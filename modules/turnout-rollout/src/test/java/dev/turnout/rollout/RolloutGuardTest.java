package dev.turnout.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.turnout.core.config.TurnoutConfig.RolloutConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The guard checks the gates continuously and holds or rolls back a rollout whose gate keeps failing. */
class RolloutGuardTest {

    static final Duration DEADLINE = Duration.ofSeconds(30);

    final String pipeline = RolloutTesting.unique("guarded");
    final String rollout = RolloutTesting.unique("search");

    RolloutControl control(RolloutConfig config) {
        RolloutControl control = RolloutControl.connect(RolloutTesting.settings(), pipeline, config);
        control.set(rollout, Optional.of(BasisPoints.parse("25")), Optional.empty(), Optional.empty(), "canary", "alice");
        return control;
    }

    @Test
    void aGateFailingForTheConfiguredTimeRollsTheRolloutBackWhenConfigured() throws Exception {
        RolloutConfig config = RolloutTesting.config(
            "rollout:\n  onGateFailure: rollback\n  failFor: 1s\n  checkInterval: 200ms\n");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (RolloutControl control = control(config);
             RolloutRouter router = RolloutRouter.builder(RolloutTesting.settings()).meterRegistry(new SimpleMeterRegistry())
                 .start()) {
            await().atMost(DEADLINE).until(() -> router.route(rollout, "user-1") != null
                && router.state(rollout).map(s -> s.share().value() == 2_500).orElse(false));
            RolloutTesting.plantSummary(pipeline, "public.accounts", 900, 80, 20, 60_000L);

            RolloutGuard guard = RolloutGuard.start(RolloutTesting.settings(), pipeline, config, meters);
            try {
                await().atMost(DEADLINE).until(() -> control.get(rollout).share().equals(BasisPoints.NONE));
                RolloutState state = control.get(rollout);
                RolloutChange change = state.lastChange().orElseThrow();
                assertThat(change.action()).isEqualTo(RolloutChange.Action.ROLLBACK);
                assertThat(change.by()).isEqualTo(RolloutChange.GUARD);
                assertThat(change.from()).isEqualTo(BasisPoints.parse("25"));
                assertThat(change.reason()).startsWith("gate reconciliation has failed for ")
                    .contains("10.00% of 1,000 keys in 1 table(s) are MISMATCH or MISSING (max 0.1%)");
                GateVerdict reconciliation = state.gates().stream()
                    .filter(v -> v.result().gate().equals("reconciliation")).findFirst().orElseThrow();
                assertThat(reconciliation.result().status()).isEqualTo(GateStatus.FAIL);
                assertThat(reconciliation.failingSince()).isPresent();

                await().atMost(DEADLINE).until(() -> router.state(rollout).map(s -> s.share().value() == 0).orElse(false));
                assertThat(meters.get(RolloutMetrics.GATE_STATUS).tag("rollout", rollout).tag("gate", "reconciliation")
                    .gauge().value()).isZero();
                assertThat(meters.get(RolloutMetrics.GATE_STATUS).tag("rollout", rollout).tag("gate", "apply-lag")
                    .gauge().value()).as("not applicable").isEqualTo(-1.0);
                assertThat(meters.get(RolloutMetrics.GUARD_ACTIONS).tag("rollout", rollout).tag("action", "rollback")
                    .counter().count()).isEqualTo(1.0);
            } finally {
                guard.close();
            }
        }
    }

    @Test
    void aGateFailingForTheConfiguredTimeHoldsTheRolloutByDefaultUntilTheGatesPassAgain() throws Exception {
        RolloutConfig config = RolloutTesting.config("rollout:\n  failFor: 1s\n  checkInterval: 200ms\n");
        try (RolloutControl control = control(config)) {
            RolloutTesting.plantSummary(pipeline, "public.accounts", 900, 80, 20, 60_000L);
            RolloutGuard guard = RolloutGuard.start(RolloutTesting.settings(), pipeline, config,
                new SimpleMeterRegistry());
            try {
                await().atMost(DEADLINE).until(() -> control.get(rollout).hold().isPresent());
                RolloutState held = control.get(rollout);
                assertThat(held.share()).isEqualTo(BasisPoints.parse("25"));
                assertThat(held.hold().orElseThrow()).startsWith("gate reconciliation has failed for ");
                assertThat(held.lastChange().orElseThrow().action()).isEqualTo(RolloutChange.Action.HOLD);
                assertThatThrownBy(() -> control.advance(rollout, Optional.empty(), "alice"))
                    .hasMessageContaining("gate reconciliation fails");

                RolloutTesting.plantSummary(pipeline, "public.accounts", 1_000, 0, 0, null);
                await().atMost(DEADLINE).until(() -> control.get(rollout).hold().isEmpty());
                RolloutChange released = control.get(rollout).lastChange().orElseThrow();
                assertThat(released.action()).isEqualTo(RolloutChange.Action.RELEASE);
                assertThat(released.by()).isEqualTo(RolloutChange.GUARD);
                assertThat(control.advance(rollout, Optional.empty(), "alice").after().share())
                    .isEqualTo(BasisPoints.parse("50"));
            } finally {
                guard.close();
            }
        }
    }

    @Test
    void aFailingGateIsRecordedButNotActedOnBeforeItHasFailedForTheConfiguredTime() throws Exception {
        RolloutConfig config = RolloutTesting.config(
            "rollout:\n  onGateFailure: rollback\n  failFor: 1h\n  checkInterval: 200ms\n");
        try (RolloutControl control = control(config)) {
            RolloutTesting.plantSummary(pipeline, "public.accounts", 900, 80, 20, 60_000L);
            RolloutGuard guard = RolloutGuard.start(RolloutTesting.settings(), pipeline, config,
                new SimpleMeterRegistry());
            try {
                await().atMost(DEADLINE).until(() -> control.get(rollout).gates().stream()
                    .anyMatch(v -> v.result().gate().equals("reconciliation") && v.result().failed()));
                RolloutState state = control.get(rollout);
                assertThat(state.share()).isEqualTo(BasisPoints.parse("25"));
                assertThat(state.hold()).isEmpty();
                assertThat(state.lastChange().orElseThrow().by()).isEqualTo("alice");
            } finally {
                guard.close();
            }
        }
    }
}
