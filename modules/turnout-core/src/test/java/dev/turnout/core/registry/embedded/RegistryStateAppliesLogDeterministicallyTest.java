package dev.turnout.core.registry.embedded;

import static dev.turnout.core.registry.embedded.TestSchemas.canonical;
import static dev.turnout.core.registry.embedded.TestSchemas.field;
import static dev.turnout.core.registry.embedded.TestSchemas.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.turnout.core.registry.CompatibilityLevel;
import dev.turnout.core.registry.embedded.RegistryState.Outcome;
import dev.turnout.core.registry.embedded.StoreRecords.ConfigKey;
import dev.turnout.core.registry.embedded.StoreRecords.ConfigValue;
import dev.turnout.core.registry.embedded.StoreRecords.SchemaValue;

/**
 * The apply rules, record by record, without Kafka: races are decided by log order, and a compacted log (only each key's
 * last record) leads to the same state as the full one.
 */
class RegistryStateAppliesLogDeterministicallyTest {

    static final String X = canonical(record("X", field("a", "long")));
    static final String Y = canonical(record("Y", field("b", "long")));
    static final String Z = canonical(record("Z", field("c", "long")));

    /** A log of (key, value) records in offset order; null values are tombstones. */
    static final class Log {
        final List<Map.Entry<String, String>> records = new ArrayList<>();

        Log live(String subject, int version, int id, String schema) {
            return add(new SchemaValue(subject, version, id, schema, false));
        }

        Log deleted(String subject, int version, int id, String schema) {
            return add(new SchemaValue(subject, version, id, schema, true));
        }

        Log tombstone(String subject, int version, int id, String schema) {
            records.add(new SimpleEntry<>(new SchemaValue(subject, version, id, schema, false).key().encode(), null));
            return this;
        }

        Log config(String subject, CompatibilityLevel level) {
            records.add(new SimpleEntry<>(new ConfigKey(subject).encode(),
                level == null ? null : new ConfigValue(level).encode()));
            return this;
        }

        private Log add(SchemaValue value) {
            records.add(new SimpleEntry<>(value.key().encode(), value.encode()));
            return this;
        }

        RegistryState replay() {
            RegistryState state = new RegistryState();
            records.forEach(r -> state.apply(r.getKey(), r.getValue()));
            return state;
        }

        /** What log compaction leaves: each key's last record, in offset order; optionally without tombstones. */
        Log compacted(boolean dropTombstones) {
            Map<String, Integer> last = new LinkedHashMap<>();
            for (int i = 0; i < records.size(); i++) {
                last.put(records.get(i).getKey(), i);
            }
            Log compacted = new Log();
            for (int i = 0; i < records.size(); i++) {
                Map.Entry<String, String> record = records.get(i);
                if (last.get(record.getKey()) == i && !(dropTombstones && record.getValue() == null)) {
                    compacted.records.add(record);
                }
            }
            return compacted;
        }
    }

    @Test
    void aTakenVersionIgnoresEveryLaterRecordForIt() {
        RegistryState state = new Log().live("s", 1, 1, X).live("s", 1, 2, Y).replay();

        assertThat(state.liveVersion("s", 1)).hasValueSatisfying(v -> assertThat(v.id()).isEqualTo(1));
        assertThat(state.schema(2)).isEmpty();
    }

    @Test
    void aLoserWithTheWinnersVersionAndIdButAnotherSchemaHasItsOwnKeySoItsTombstoneSparesTheWinner() {
        Log log = new Log().live("s", 1, 1, X).live("s", 1, 1, Y).tombstone("s", 1, 1, Y);

        RegistryState state = log.replay();

        assertThat(log.records.get(0).getKey()).isNotEqualTo(log.records.get(1).getKey());
        assertThat(state.liveVersion("s", 1)).hasValueSatisfying(v -> assertThat(v.schema()).isEqualTo(X));
        assertThat(state.schema(1)).hasValue(X);
    }

    @Test
    void anIdHeldByAnotherSchemaIsNeverReassigned() {
        RegistryState state = new Log().live("s1", 1, 1, X).live("s2", 1, 1, Y).replay();

        assertThat(state.schema(1)).hasValue(X);
        assertThat(state.liveVersions("s2")).isEmpty();
    }

    @Test
    void aSchemaNeverGetsASecondId() {
        RegistryState state = new Log().live("s1", 1, 1, X).live("s2", 1, 2, X).replay();

        assertThat(state.liveVersions("s2")).isEmpty();
        assertThat(state.schema(2)).isEmpty();
        assertThat(state.idOf(X)).hasValue(1);
    }

    @Test
    void aSchemaIsNeverLiveTwiceInOneSubject() {
        RegistryState state = new Log().live("s", 1, 1, X).live("s", 2, 1, X).replay();

        assertThat(state.liveVersions("s")).containsExactly(1);
    }

    @Test
    void aDeletedRecordForAnUnseenVersionReservesItsVersionAndId() {
        RegistryState state = new Log().deleted("s", 3, 5, X).replay();

        assertThat(state.liveVersions("s")).isEmpty();
        assertThat(state.maxVersion("s")).isEqualTo(3);
        assertThat(state.maxId()).isEqualTo(5);
        assertThat(state.schema(5)).hasValue(X);
        assertThat(state.idOf(X)).hasValue(5);
    }

    @Test
    void aDeletedRecordForAVersionHoldingAnotherSchemaIsIgnored() {
        RegistryState state = new Log().live("s", 1, 1, X).deleted("s", 1, 2, Y).replay();

        assertThat(state.liveVersions("s")).containsExactly(1);
    }

    @Test
    void theLastRecordOfAKeyDecidesWhetherItsVersionIsDeleted() {
        RegistryState deleted = new Log().live("s", 1, 1, X).deleted("s", 1, 1, X).replay();
        RegistryState liveAgain = new Log().live("s", 1, 1, X).deleted("s", 1, 1, X).live("s", 1, 1, X).replay();

        assertThat(deleted.liveVersions("s")).isEmpty();
        assertThat(liveAgain.liveVersions("s")).containsExactly(1);
    }

    @Test
    void aTombstoneForAKeyNeverAppliedIsIgnoredAndForAnAppliedKeyRemovesTheVersion() {
        RegistryState ignored = new Log().live("s", 1, 1, X).tombstone("s", 2, 2, Y).replay();
        RegistryState removed = new Log().live("s", 1, 1, X).live("s", 2, 2, Y).tombstone("s", 2, 2, Y).replay();

        assertThat(ignored.liveVersions("s")).containsExactly(1);
        assertThat(ignored.maxId()).isEqualTo(1);
        assertThat(removed.liveVersions("s")).containsExactly(1);
        assertThat(removed.schema(2)).isEmpty();
        assertThat(removed.maxVersion("s")).isEqualTo(1);
    }

    @Test
    void configIsLastWriteWinsAndATombstoneUnsetsIt() {
        RegistryState state = new Log().config(null, CompatibilityLevel.FULL).config("s", CompatibilityLevel.NONE)
            .config("s", CompatibilityLevel.FORWARD).config("t", CompatibilityLevel.NONE).config("t", null).replay();

        assertThat(state.globalLevel()).isEqualTo(CompatibilityLevel.FULL);
        assertThat(state.subjectLevel("s")).hasValue(CompatibilityLevel.FORWARD);
        assertThat(state.subjectLevel("t")).isEmpty();
        assertThat(state.effectiveLevel("t")).isEqualTo(CompatibilityLevel.FULL);
    }

    @Test
    void malformedAndForeignRecordsAreRejectedOrIgnoredWithoutChangingTheState() {
        RegistryState state = new Log().live("s", 1, 1, X).replay();
        String before = state.snapshot();

        assertThat(state.apply("{\"keytype\":\"NOOP\"}", "{}")).isEqualTo(Outcome.IGNORED);
        assertThat(state.apply(new SchemaValue("s", 2, 2, "{not avro", false).key().encode(),
            new SchemaValue("s", 2, 2, "{not avro", false).encode())).isEqualTo(Outcome.IGNORED);
        assertThatThrownBy(() -> state.apply("not json", "{}"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(state.snapshot()).isEqualTo(before);
    }

    @Test
    void aCompactedLogReplaysToTheSameStateAsTheFullLog() {
        Log log = new Log()
            .config(null, CompatibilityLevel.NONE)
            // Two instances race for s/1 with different schemas and both pick id 1; the loser cleans up and retries.
            .live("s", 1, 1, X).live("s", 1, 1, Y).tombstone("s", 1, 1, Y).live("s", 2, 2, Y)
            // Both instances register Z in t at once: the same key twice.
            .live("t", 1, 3, Z).live("t", 1, 3, Z)
            // X is deleted from s and registered again, keeping its id.
            .deleted("s", 1, 1, X).live("s", 3, 1, X)
            // X in another subject, then that subject deleted.
            .live("u", 1, 1, X).deleted("u", 1, 1, X)
            .config("s", CompatibilityLevel.FULL).config(null, CompatibilityLevel.BACKWARD);

        String full = log.replay().snapshot();

        assertThat(log.compacted(false).replay().snapshot()).isEqualTo(full);
        assertThat(log.compacted(true).replay().snapshot()).isEqualTo(full);
        assertThat(full).contains("s/1 -> 1 (deleted)", "s/2 -> 2\n", "s/3 -> 1\n", "t/1 -> 3\n", "u/1 -> 1 (deleted)");
    }
}
