package dev.turnout.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class PartsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Parts parts = new Parts(meters);

    private double up(Part part) {
        return meters.get("turnout.part.up").tag("part", part.tag()).gauge().value();
    }

    @Test
    void anExpectedPartIsStartingAndKeepsTheProcessUnreadyUntilRegistered() {
        assertThat(parts.report().ready()).as("nothing configured").isFalse();
        parts.expect(Part.CAPTURE);
        assertThat(parts.report().parts()).containsEntry(Part.CAPTURE, PartStatus.starting());
        assertThat(parts.report().ready()).isFalse();
        assertThat(parts.report().live()).isTrue();
        assertThat(up(Part.CAPTURE)).isZero();

        parts.register(Part.CAPTURE, PartStatus::running);
        assertThat(parts.report().ready()).isTrue();
        assertThat(up(Part.CAPTURE)).isEqualTo(1.0);
    }

    @Test
    void registeringAgainReplacesTheHealthSourceAndKeepsOneGauge() {
        AtomicReference<PartStatus> first = new AtomicReference<>(PartStatus.failed("first instance failed"));
        parts.register(Part.APPLY, first::get);
        assertThat(parts.report().live()).isFalse();

        parts.register(Part.APPLY, PartStatus::running);
        assertThat(parts.report().live()).isTrue();
        assertThat(parts.report().ready()).isTrue();
        assertThat(meters.find("turnout.part.up").gauges()).hasSize(1);
        assertThat(up(Part.APPLY)).isEqualTo(1.0);
    }

    @Test
    void reportsListPartsInDeclarationOrder() {
        parts.register(Part.RECONCILE, PartStatus::running);
        parts.expect(Part.CAPTURE);
        parts.register(Part.APPLY, PartStatus::stopped);
        assertThat(parts.report().parts().keySet()).containsExactly(Part.CAPTURE, Part.APPLY, Part.RECONCILE);
        assertThat(parts.report().ready()).isFalse();
        assertThat(parts.report().live()).as("stopped is not failed").isTrue();
    }

    @Test
    void aFailedStatusKeepsTurnoutsOwnMessageButOnlyTheTypeOfOthers() {
        class TurnoutProblem extends RuntimeException {
            TurnoutProblem(String message) {
                super(message);
            }
        }
        // Local classes in this test are in dev.turnout.core.health, i.e. Turnout's own.
        assertThat(PartStatus.failed(new IllegalStateException("wrapped", new TurnoutProblem("Slot 'x' was dropped")))
            .detail()).hasValue("Slot 'x' was dropped");
        assertThat(PartStatus.failed(new IllegalStateException("value 'secret@example.com' violates a constraint"))
            .detail()).hasValue("java.lang.IllegalStateException (details in the log)");
    }
}
