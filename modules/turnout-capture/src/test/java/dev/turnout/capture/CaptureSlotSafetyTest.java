package dev.turnout.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.turnout.core.TopicNames;
import dev.turnout.core.config.SnapshotMode;
import dev.turnout.core.config.TableId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class CaptureSlotSafetyTest {

    static final TableId ITEMS = TableId.parse("public.items");

    @Test
    void aDroppedSlotStopsCaptureWithinTenSecondsNamingTheSlot() throws Exception {
        CaptureFixture f = new CaptureFixture("slotdrop");
        f.sql("CREATE TABLE items (id int PRIMARY KEY, name text)", "INSERT INTO items VALUES (1, 'a')");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (CaptureEngine capture = CaptureEngine.start(f.settings(List.of(ITEMS), SnapshotMode.INITIAL), meters)) {
            await().atMost(Duration.ofMinutes(1))
                .until(() -> !f.readChanges(TopicNames.cdc(f.pipeline, ITEMS), 1, Duration.ofSeconds(1)).isEmpty());
            await().atMost(Duration.ofSeconds(10)).until(() ->
                meters.get("turnout.capture.slot.active").gauge().value() == 1.0);

            long dropped = System.nanoTime();
            assertThat(f.pg.dropReplicationSlots(TopicNames.slot(f.pipeline))).containsExactly(TopicNames.slot(f.pipeline));

            await().atMost(Duration.ofSeconds(10)).until(() -> capture.failure().isPresent());
            assertThat(Duration.ofNanos(System.nanoTime() - dropped)).isLessThan(Duration.ofSeconds(10));
            assertThat(capture.failure().get())
                .isInstanceOf(SlotLostException.class)
                .hasMessageStartingWith("Replication slot '" + TopicNames.slot(f.pipeline) + "' was dropped")
                .hasMessageContaining("capture stopped");
        }
    }

    @Test
    void offsetsWithoutTheirSlotRefuseToStartInsteadOfResnapshotting() throws Exception {
        CaptureFixture f = new CaptureFixture("noslot");
        f.sql("CREATE TABLE items (id int PRIMARY KEY, name text)", "INSERT INTO items VALUES (1, 'a')");
        try (CaptureEngine capture = CaptureEngine.start(f.settings(List.of(ITEMS), SnapshotMode.INITIAL),
            new SimpleMeterRegistry())) {
            assertThat(capture.awaitStreaming(Duration.ofMinutes(1))).isTrue();
            await().atMost(Duration.ofMinutes(1))
                .until(() -> !f.readChanges(TopicNames.cdc(f.pipeline, ITEMS), 1, Duration.ofSeconds(1)).isEmpty());
        }
        f.dropSlot();

        assertThatThrownBy(() -> CaptureEngine.start(f.settings(List.of(ITEMS), SnapshotMode.INITIAL),
            new SimpleMeterRegistry()))
            .isInstanceOf(SlotLostException.class)
            .hasMessageContaining("does not exist although capture has committed offsets");
        assertThat(f.pg.dropReplicationSlots(TopicNames.slot(f.pipeline))).as("no slot was re-created").isEmpty();
    }
}
