package dev.turnout.cutover.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.turnout.cutover.SourceRef;
import dev.turnout.cutover.internal.Aligner.Outcome;

/** The alignment rules on hand-made windows; the guarantee tests against real clusters are in the parent package. */
class AlignerTest {

    static final TopicPartition TP = new TopicPartition("t", 0);

    /** Records with content letters at consecutive offsets from {@code first}; '-' leaves an offset hole. */
    static List<LogRecord> log(long first, String contents) {
        List<LogRecord> out = new ArrayList<>();
        long offset = first;
        for (char c : contents.toCharArray()) {
            if (c != '-') {
                out.add(new LogRecord(offset, 1000 + offset, "fp-" + c, null, null));
            }
            offset++;
        }
        return out;
    }

    static Aligner.Result align(List<LogRecord> source, long cut, List<LogRecord> target) {
        return Aligner.align(new Aligner.Input(TP, cut, source, true, true, target, true, true, "A", "B", 0));
    }

    @Test
    void distinctRecordsAlignAtTheCut() {
        Aligner.Result r = align(log(0, "abcdef"), 3, log(10, "abcdef"));
        assertThat(r.outcome()).isEqualTo(Outcome.RESOLVED);
        assertThat(r.lowerBound()).isEqualTo(13);
        assertThat(r.upperBound()).isEqualTo(13);
        assertThat(r.matchedBy()).isEqualTo("fingerprint");
    }

    @Test
    void aRecordMissingOnTheTargetIsListedAndDoesNotMoveTheCut() {
        Aligner.Result r = align(log(0, "abcdef"), 4, log(10, "abcef"));
        assertThat(r.lowerBound()).isEqualTo(13);
        assertThat(r.onlySource()).extracting(x -> x.record().offset()).containsExactly(3L);
        assertThat(r.onlySource().get(0).beforeCut()).isTrue();
    }

    @Test
    void repeatedIdenticalRecordsAroundTheCutAreAmbiguous() {
        // One of four identical records is missing on the target: content cannot tell which.
        Aligner.Result r = align(log(0, "axxxxb"), 3, log(0, "axxxb"));
        assertThat(r.outcome()).isEqualTo(Outcome.AMBIGUOUS);
        assertThat(r.candidates()).hasSizeGreaterThan(1);
    }

    @Test
    void repeatsAreResolvedByTheirContext() {
        Aligner.Result r = align(log(0, "xxyxxzxx"), 4, log(0, "xxyxxzxx"));
        assertThat(r.outcome()).isEqualTo(Outcome.RESOLVED);
        assertThat(r.lowerBound()).isEqualTo(4);
    }

    @Test
    void aSingleRepeatedRecordIsNeverEnough() {
        Aligner.Result r = align(log(0, "xx"), 1, log(5, "xxx"));
        assertThat(r.outcome()).isEqualTo(Outcome.AMBIGUOUS);
    }

    @Test
    void gapsFromMarkersOrAbortedRecordsDoNotMatter() {
        Aligner.Result r = align(log(0, "ab--c-d"), 5, log(0, "a-b-cd"));
        assertThat(r.outcome()).isEqualTo(Outcome.RESOLVED);
        assertThat(r.lowerBound()).isEqualTo(5);
    }

    @Test
    void sourceLinksPlaceCopiesWhoseOriginalIsGone() {
        List<LogRecord> target = new ArrayList<>();
        target.add(new LogRecord(0, 1, "fp-a", null, new SourceRef("A", "t", 0, 0)));
        target.add(new LogRecord(1, 2, "fp-b", null, new SourceRef("A", "t", 0, 1)));
        target.add(new LogRecord(2, 3, "fp-c", null, new SourceRef("A", "t", 0, 2)));
        // The source lost offsets 0 and 1 to retention; the group committed 2.
        List<LogRecord> source = List.of(new LogRecord(2, 3, "fp-c", null, null));
        Aligner.Result r = Aligner.align(new Aligner.Input(TP, 2, source, true, true, target, true, true, "A", "B", 0));
        assertThat(r.outcome()).isEqualTo(Outcome.RESOLVED);
        assertThat(r.lowerBound()).isEqualTo(2);
        assertThat(r.upperBound()).isEqualTo(2);
    }

    @Test
    void aCopyWhoseContentDiffersFromItsOriginalIsAConflict() {
        List<LogRecord> target = List.of(new LogRecord(0, 1, "fp-other", null, new SourceRef("A", "t", 0, 0)));
        Aligner.Result r = Aligner.align(new Aligner.Input(TP, 1, log(0, "a"), true, true, target, true, true, "A", "B", 0));
        assertThat(r.outcome()).isEqualTo(Outcome.CONFLICT);
        assertThat(r.detail()).contains("contents differ");
    }

    @Test
    void idsPairRecordsEvenWhenContentRepeats() {
        List<LogRecord> source = new ArrayList<>();
        List<LogRecord> target = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            source.add(new LogRecord(i, 5, "fp-same-" + i, "id-" + i, null));
            if (i != 2) {
                target.add(new LogRecord(100 + target.size(), 5, "fp-same-" + i, "id-" + i, null));
            }
        }
        Aligner.Result r = align(source, 3, target);
        assertThat(r.outcome()).isEqualTo(Outcome.RESOLVED);
        assertThat(r.lowerBound()).isEqualTo(102);
        assertThat(r.matchedBy()).isEqualTo("turnout.id");
        assertThat(r.onlySource()).extracting(x -> x.record().recordId()).containsExactly("id-2");
    }

    @Test
    void nothingConsumedMatchingIsReportedAsSuch() {
        Aligner.Result r = align(log(0, "pqab"), 2, log(0, "zab"));
        assertThat(r.outcome()).isEqualTo(Outcome.NO_CONSUMED_COUNTERPART);
        assertThat(r.upperBound()).isEqualTo(1);
        assertThat(r.unplacedGap()).extracting(LogRecord::offset).containsExactly(0L);
    }
}
