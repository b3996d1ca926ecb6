package dev.turnout.apply.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** How one partition's changes are split into rounds with each key at most once. */
class RoundsTest {

    private long offset;

    private Change upsert(String key, long lsn, boolean partial) {
        return new Change(new ConsumerRecord<>("t", 0, offset++, new byte[0], new byte[0]), true, List.of("id"),
            List.of(key), ChangeDecoder.tombstoneKey(List.of(key)), List.of("id", "body"),
            java.util.Arrays.asList(key, partial ? null : "b"), List.of(false, partial), lsn, null);
    }

    private Change delete(String key, long lsn) {
        return new Change(new ConsumerRecord<>("t", 0, offset++, new byte[0], new byte[0]), false, List.of("id"),
            List.of(key), ChangeDecoder.tombstoneKey(List.of(key)), List.of(), List.of(), List.of(), lsn, null);
    }

    @Test
    void aNewerFullChangeSupersedesTheEarlierChangesToItsKey() {
        Change a1 = upsert("1", 10, false);
        Change b1 = upsert("2", 11, false);
        Change a2 = delete("1", 12);
        Change a3 = upsert("1", 13, false);
        Rounds rounds = Rounds.of(List.of(a1, b1, a2, a3));
        assertThat(rounds.rounds()).containsExactly(List.of(a3, b1));
        assertThat(rounds.superseded()).containsExactlyInAnyOrder(a1, a2);
    }

    @Test
    void aPartialUpsertFollowsTheChangesBeforeItInALaterRound() {
        Change full = upsert("1", 10, false);
        Change partial = upsert("1", 20, true);
        Change other = upsert("2", 15, false);
        Rounds rounds = Rounds.of(List.of(full, other, partial));
        assertThat(rounds.rounds()).containsExactly(List.of(full, other), List.of(partial));
        assertThat(rounds.superseded()).isEmpty();
    }

    @Test
    void aChangeOlderThanOneBeforeItIsAppliedAfterItNotInsteadOfIt() {
        Change newer = upsert("1", 30, false);
        Change late = upsert("1", 20, false);
        Change lateDelete = delete("1", 25);
        Rounds rounds = Rounds.of(List.of(newer, late, lateDelete));
        assertThat(rounds.rounds()).containsExactly(List.of(newer), List.of(late), List.of(lateDelete));
        assertThat(rounds.superseded()).isEmpty();
    }

    @Test
    void noKeyOccursTwiceInARound() {
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            changes.add(upsert(Integer.toString(i % 5), 100 + i, i % 3 == 0));
        }
        for (List<Change> round : Rounds.of(changes).rounds()) {
            assertThat(round.stream().map(Change::tombstoneKey).distinct().count()).isEqualTo(round.size());
        }
    }
}
