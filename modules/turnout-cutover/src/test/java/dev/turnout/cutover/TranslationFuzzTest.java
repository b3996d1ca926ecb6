package dev.turnout.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.turnout.cutover.TestRecords.Seen;
import dev.turnout.cutover.TranslationPlan.PartitionPlan;
import dev.turnout.testkit.KafkaCluster;

/**
 * Done-when 3: translation never returns a wrong answer. Random partitions mix records with and without turnout.id,
 * repeat identical records (same key, value and timestamp), drop records on one side, and interleave aborted
 * transactions on each side so offsets drift apart. Every partition must either translate so that a consumer on B
 * neither loses nor re-reads a record (checked against the generator's ground truth) or be UNRESOLVED.
 *
 * <p>Records present on one side only are drawn from the same small alphabets (so they repeat too), but in a given
 * partition only one side has them: a record missing on A and an identical one missing on B at the same place are
 * indistinguishable by content from one record present on both, which no content-based method can tell apart (the
 * README states this assumption).
 */
class TranslationFuzzTest {

    static final KafkaCluster A = TwoClusters.a();
    static final KafkaCluster B = TwoClusters.b();
    static final int PARTITIONS = 24;

    enum Kind { UNIQUE, REPEATS, MIXED, IDS }

    enum Extras { NONE, ONLY_A, ONLY_B }

    /** One logical record as generated; {@code onA}/{@code onB} say where it exists. */
    record Logical(int n, String key, String value, long timestamp, String id, boolean onA, boolean onB) {
    }

    record Scenario(int partition, Kind kind, Extras extras, List<Logical> records, int[] junkA, int[] junkB) {
    }

    @Test
    void translationIsExactOrUnresolvedNeverWrong() throws Exception {
        int resolved = 0;
        int unresolved = 0;
        for (long seed : new long[] {7L, 42L}) {
            int[] counts = round(seed);
            resolved += counts[0];
            unresolved += counts[1];
        }
        assertThat(resolved).as("most partitions translate").isGreaterThan(PARTITIONS);
        assertThat(unresolved).as("ambiguous repeats are reported, not guessed").isPositive();
    }

    /** Returns {resolved, unresolved}. */
    int[] round(long seed) throws Exception {
        Random random = new Random(seed);
        String topic = "fuzz-" + seed;
        A.createTopic(topic, PARTITIONS, Map.of());
        B.createTopic(topic, PARTITIONS, Map.of());
        long base = System.currentTimeMillis() - 60_000;
        List<Scenario> scenarios = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            scenarios.add(generate(random, p, base));
        }
        produce(A, topic, scenarios, true, seed);
        produce(B, topic, scenarios, false, seed);

        Map<TopicPartition, Long> cuts = new HashMap<>();
        Map<TopicPartition, Long> fromStart = new HashMap<>();
        scenarios.forEach(s -> fromStart.put(new TopicPartition(topic, s.partition()), -1L));
        Map<TopicPartition, List<Seen>> allA = TestRecords.readMany(A, fromStart);
        Map<TopicPartition, List<Seen>> allB = TestRecords.readMany(B, fromStart);
        Map<Integer, List<Seen>> onA = new HashMap<>();
        Map<Integer, List<Seen>> onB = new HashMap<>();
        for (Scenario s : scenarios) {
            List<Seen> a = allA.get(new TopicPartition(topic, s.partition()));
            List<Seen> b = allB.get(new TopicPartition(topic, s.partition()));
            assertThat(a).hasSize((int) s.records().stream().filter(Logical::onA).count());
            assertThat(b).hasSize((int) s.records().stream().filter(Logical::onB).count());
            onA.put(s.partition(), a);
            onB.put(s.partition(), b);
            int consumed = random.nextInt(a.size() + 1);
            long cut;
            if (consumed == a.size()) {
                cut = a.isEmpty() ? 0 : a.get(a.size() - 1).offset() + 1;
            } else {
                long low = consumed == 0 ? 0 : a.get(consumed - 1).offset() + 1;
                long high = a.get(consumed).offset();
                // Anywhere between the two records: committed offsets may point at markers or aborted records.
                cut = low + (high > low ? random.nextInt((int) (high - low + 1)) : 0);
            }
            cuts.put(new TopicPartition(topic, s.partition()), cut);
        }
        String group = "fuzz-group-" + seed;
        TestRecords.commit(A, group, cuts);
        TranslationPlan plan;
        try (OffsetTranslator t = new OffsetTranslator(TwoClusters.connection(A), TwoClusters.connection(B),
                TranslationOptions.DEFAULTS)) {
            plan = t.translateCurrent(group);
        }
        assertThat(plan.partitions()).hasSize(PARTITIONS);
        int resolved = 0;
        int unresolved = 0;
        for (PartitionPlan pp : plan.partitions()) {
            Scenario s = scenarios.get(pp.partition());
            String what = "seed " + seed + " partition " + pp.partition() + " (" + s.kind() + ", extras " + s.extras()
                + ", cut " + pp.sourceOffset() + "): " + pp.status() + " " + pp.reason();
            if (!pp.status().isResolved()) {
                unresolved++;
                assertThat(s.kind()).as(what).isIn(Kind.REPEATS, Kind.MIXED);
                continue;
            }
            resolved++;
            checkAgainstTruth(s, onA.get(pp.partition()), onB.get(pp.partition()), pp.sourceOffset(), pp.targetOffset(), what);
        }
        return new int[] {resolved, unresolved};
    }

    /** No B record before t stands for an unconsumed A record; none at or after t for a consumed one. */
    static void checkAgainstTruth(Scenario s, List<Seen> a, List<Seen> b, long cut, long t, String what) {
        List<Logical> aLogical = s.records().stream().filter(Logical::onA).toList();
        List<Logical> bLogical = s.records().stream().filter(Logical::onB).toList();
        Map<Integer, Long> aOffsetOf = new HashMap<>();
        for (int i = 0; i < a.size(); i++) {
            aOffsetOf.put(aLogical.get(i).n(), a.get(i).offset());
        }
        for (int j = 0; j < b.size(); j++) {
            Logical l = bLogical.get(j);
            Long aOffset = aOffsetOf.get(l.n());
            if (aOffset == null) {
                continue;
            }
            if (b.get(j).offset() < t) {
                assertThat(aOffset).as(what + ": B offset " + b.get(j).offset() + " skipped but A offset " + aOffset
                    + " was not consumed (lost)").isLessThan(cut);
            } else {
                assertThat(aOffset).as(what + ": B offset " + b.get(j).offset() + " delivered but A offset " + aOffset
                    + " was consumed (duplicate)").isGreaterThanOrEqualTo(cut);
            }
        }
    }

    static Scenario generate(Random random, int partition, long base) {
        Kind kind = Kind.values()[partition % Kind.values().length];
        Extras extras = Extras.values()[(partition / Kind.values().length) % Extras.values().length];
        int length = 30 + random.nextInt(230);
        int alphabet = switch (kind) {
            case REPEATS -> 1 + random.nextInt(3);
            case MIXED -> 4;
            default -> Integer.MAX_VALUE;
        };
        List<Logical> records = new ArrayList<>();
        for (int n = 0; n < length; n++) {
            boolean oneSided = extras != Extras.NONE && random.nextInt(100) < 7;
            boolean onA = !oneSided || extras == Extras.ONLY_A;
            boolean onB = !oneSided || extras == Extras.ONLY_B;
            boolean withId = kind == Kind.IDS || kind == Kind.MIXED && random.nextBoolean();
            if (withId) {
                records.add(new Logical(n, "k" + random.nextInt(5), "v-" + n, base + n, UUID.randomUUID().toString(), onA, onB));
            } else if (alphabet == Integer.MAX_VALUE) {
                records.add(new Logical(n, "k" + n, "unique-" + n, base + n, null, onA, onB));
            } else {
                int symbol = random.nextInt(alphabet);
                records.add(new Logical(n, "k" + symbol, "same-" + symbol, base + symbol, null, onA, onB));
            }
        }
        return new Scenario(partition, kind, extras, records, junk(random, length), junk(random, length));
    }

    /** How many aborted records precede each record (mostly none). */
    static int[] junk(Random random, int length) {
        int[] junk = new int[length + 1];
        for (int i = 0; i <= length; i++) {
            junk[i] = random.nextInt(100) < 8 ? 1 + random.nextInt(4) : 0;
        }
        return junk;
    }

    /**
     * Writes each partition's records (those present on this side) in committed transactions, with aborted
     * transactions of junk where the scenario has them, all partitions advancing together round by round.
     */
    static void produce(KafkaCluster cluster, String topic, List<Scenario> scenarios, boolean sideA, long seed) {
        int[] next = new int[scenarios.size()];
        try (KafkaProducer<byte[], byte[]> tx = TestRecords.transactionalProducer(cluster,
                "fuzz-" + seed + "-" + (sideA ? "a" : "b") + "-" + UUID.randomUUID())) {
            boolean more = true;
            while (more) {
                more = false;
                tx.beginTransaction();
                boolean anyJunk = false;
                for (Scenario s : scenarios) {
                    int[] junk = sideA ? s.junkA() : s.junkB();
                    int i = next[s.partition()];
                    if (i <= s.records().size() && junk[i] > 0) {
                        for (int j = 0; j < junk[i]; j++) {
                            tx.send(TestRecords.record(topic, s.partition(), 1, "junk", "aborted-" + i + "-" + j, null));
                        }
                        junk[i] = 0;
                        anyJunk = true;
                    }
                }
                if (anyJunk) {
                    // Flushed first: unsent records would be dropped by the abort instead of written as aborted.
                    tx.flush();
                    tx.abortTransaction();
                    tx.beginTransaction();
                }
                for (Scenario s : scenarios) {
                    int[] junk = sideA ? s.junkA() : s.junkB();
                    int i = next[s.partition()];
                    while (i < s.records().size()) {
                        Logical l = s.records().get(i);
                        if ((sideA ? l.onA() : l.onB())) {
                            tx.send(TestRecords.record(topic, s.partition(), l.timestamp(), l.key(), l.value(), l.id()));
                        }
                        i++;
                        if (junk[i] > 0) {
                            break;
                        }
                    }
                    next[s.partition()] = i;
                    more |= i < s.records().size() || junk[i] > 0;
                }
                tx.commitTransaction();
            }
        }
    }
}
