package dev.turnout.cutover.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.kafka.common.TopicPartition;

import dev.turnout.cutover.SourceRef;

/**
 * Aligns a window of the source log around a committed offset (the cut) with a window of the target log, and derives
 * where the cut falls on the target, or says why it cannot.
 *
 * <p>Records are paired by identity, strongest first: the {@code turnout.id} header (unique per published record); a
 * {@code turnout.src} header naming the other side's offset, confirmed by equal content fingerprints; else the content
 * fingerprint. Pairs must keep log order on both sides, so the pairing is a common subsequence of the two windows; the
 * aligner takes the longest ones (a record with the same content at the same place on both sides is taken to be the
 * same record) and accepts the cut only when <em>every</em> longest alignment puts it at the same target position. With
 * identical records repeating around the cut that fails and the answer is {@link Outcome#AMBIGUOUS}, never one of the
 * candidates. Records whose position on the other side is known from a {@code turnout.src} link but whose counterpart
 * is not in the window bound the cut from either side.
 *
 * <p>Pure computation, no I/O; O(n·m) time and memory for windows of n and m records. Thread-safe (stateless).
 */
public final class Aligner {

    /** One partition's windows. {@code cut} is the committed source offset: records below it were consumed. */
    public record Input(TopicPartition tp, long cut,
                        List<LogRecord> source, boolean sourceFromLogStart, boolean sourceToEnd,
                        List<LogRecord> target, boolean targetFromLogStart, boolean targetToEnd,
                        String sourceClusterId, String targetClusterId, long skewMillis) {
    }

    public enum Outcome {
        /** A lower bound for the target offset is proven by a counterpart of a consumed record (or a src link). */
        RESOLVED,
        /** No consumed source record in the window has a counterpart in the target window. */
        NO_CONSUMED_COUNTERPART,
        /** Several equally good alignments put the cut at different target positions. */
        AMBIGUOUS,
        /** The two logs disagree (order differs, a src link points at different content). */
        CONFLICT,
        /** Consumed source records may have counterparts beyond the end of the target window. */
        NEED_MORE_TARGET
    }

    /** A record present in one window whose counterpart is not in the other. */
    public record OneSided(LogRecord record, boolean beforeCut) {
    }

    /**
     * The alignment's verdict.
     *
     * @param lowerBound smallest allowed target offset (after every counterpart of a consumed record), null if none proven
     * @param upperBound largest allowed target offset (the first counterpart of an unconsumed record), null if none
     * @param unplacedGap target records between the bounds whose relation to the cut is unknown (delivered after the cut)
     */
    public record Result(Outcome outcome, Long lowerBound, Long upperBound,
                         LogRecord lastConsumedSource, LogRecord lastConsumedTarget,
                         LogRecord firstUnconsumedSource, LogRecord firstUnconsumedTarget,
                         String matchedBy, List<LogRecord> unplacedGap,
                         List<OneSided> onlySource, List<OneSided> onlyTarget,
                         List<Long> candidates, String detail) {
    }

    private Aligner() {
    }

    public static Result align(Input in) {
        return new Run(in).run();
    }

    private static final class Run {
        final Input in;
        final List<LogRecord> a;
        final List<LogRecord> b;
        final int n;
        final int m;
        final int k;
        final int[] ta;
        final int[] tb;
        final String[] kindA;
        final String[] kindB;
        final List<String> conflicts = new ArrayList<>();
        /** Target offsets the cut must be above (exclusive) or at/below, from src links whose counterpart is absent. */
        Long linkLower;
        Long linkUpper;
        /** Records carrying a turnout.src link to the other side (their position there is known). */
        final boolean[] linkedA;
        final boolean[] linkedB;

        Run(Input in) {
            this.in = in;
            this.a = in.source();
            this.b = in.target();
            this.n = a.size();
            this.m = b.size();
            int consumed = 0;
            while (consumed < n && a.get(consumed).offset() < in.cut()) {
                consumed++;
            }
            this.k = consumed;
            this.ta = new int[n];
            this.tb = new int[m];
            this.kindA = new String[n];
            this.kindB = new String[m];
            this.linkedA = new boolean[n];
            this.linkedB = new boolean[m];
            tokenize();
        }

        private void tokenize() {
            Map<String, Integer> ids = new HashMap<>();
            String[] tokA = new String[n];
            String[] tokB = new String[m];
            Map<Long, Integer> aByOffset = new HashMap<>();
            Map<Long, Integer> bByOffset = new HashMap<>();
            for (int i = 0; i < n; i++) {
                aByOffset.put(a.get(i).offset(), i);
            }
            for (int j = 0; j < m; j++) {
                bByOffset.put(b.get(j).offset(), j);
            }
            // Target records copied from the source: position on the source is known.
            for (int j = 0; j < m; j++) {
                SourceRef src = b.get(j).src();
                if (src != null && linksTo(src, in.sourceClusterId())) {
                    linkedB[j] = true;
                    String token = "S:" + src.offset();
                    Integer i = aByOffset.get(src.offset());
                    if (i != null) {
                        if (!a.get(i).fingerprint().equals(b.get(j).fingerprint())) {
                            conflicts.add("target offset " + b.get(j).offset() + " is a copy of source offset "
                                + src.offset() + " by its turnout.src header, but their contents differ");
                            continue;
                        }
                        tokA[i] = token;
                        kindA[i] = "turnout.src";
                    } else {
                        // The original is not in the window: gone (compaction, retention) or outside it. Its side of
                        // the cut is still known, so it bounds the target offset.
                        if (src.offset() < in.cut()) {
                            linkLower = max(linkLower, b.get(j).offset() + 1);
                        } else {
                            linkUpper = min(linkUpper, b.get(j).offset());
                        }
                    }
                    tokB[j] = token;
                    kindB[j] = "turnout.src";
                }
            }
            // Source records copied from the target (a rollback after a copy): position on the target is known.
            for (int i = 0; i < n; i++) {
                SourceRef src = a.get(i).src();
                if (tokA[i] == null && src != null && linksTo(src, in.targetClusterId())) {
                    linkedA[i] = true;
                    String token = "T:" + src.offset();
                    Integer j = bByOffset.get(src.offset());
                    if (j != null) {
                        if (!a.get(i).fingerprint().equals(b.get(j).fingerprint())) {
                            conflicts.add("source offset " + a.get(i).offset() + " is a copy of target offset "
                                + src.offset() + " by its turnout.src header, but their contents differ");
                            continue;
                        }
                        tokB[j] = token;
                        kindB[j] = "turnout.src";
                    } else {
                        if (a.get(i).offset() < in.cut()) {
                            linkLower = max(linkLower, src.offset() + 1);
                        } else {
                            linkUpper = min(linkUpper, src.offset());
                        }
                    }
                    tokA[i] = token;
                    kindA[i] = "turnout.src";
                }
            }
            Map<String, LogRecord> sourceById = new HashMap<>();
            for (LogRecord r : a) {
                if (r.recordId() != null) {
                    sourceById.putIfAbsent(r.recordId(), r);
                }
            }
            for (LogRecord r : b) {
                LogRecord s = r.recordId() == null ? null : sourceById.get(r.recordId());
                if (s != null && !s.fingerprint().equals(r.fingerprint())) {
                    conflicts.add("turnout.id " + r.recordId() + " has different content at source offset " + s.offset()
                        + " and target offset " + r.offset() + " (values framed with different schema registry ids? "
                        + "configure schema.registry.url for both clusters)");
                }
            }
            for (int i = 0; i < n; i++) {
                if (tokA[i] == null) {
                    tokA[i] = identity(a.get(i));
                    kindA[i] = a.get(i).recordId() != null ? "turnout.id" : "fingerprint";
                }
                ta[i] = ids.computeIfAbsent(tokA[i], t -> ids.size());
            }
            for (int j = 0; j < m; j++) {
                if (tokB[j] == null) {
                    tokB[j] = identity(b.get(j));
                    kindB[j] = b.get(j).recordId() != null ? "turnout.id" : "fingerprint";
                }
                tb[j] = ids.computeIfAbsent(tokB[j], t -> ids.size());
            }
        }

        private boolean linksTo(SourceRef src, String clusterId) {
            return src.clusterId().equals(clusterId) && src.topic().equals(in.tp().topic())
                && src.partition() == in.tp().partition();
        }

        private static String identity(LogRecord r) {
            return r.recordId() != null ? "I:" + r.recordId() : "F:" + r.fingerprint();
        }

        Result run() {
            if (!conflicts.isEmpty()) {
                return verdict(Outcome.CONFLICT, null, null, null, -1, -1, -1, -1, List.of(), String.join("; ", conflicts));
            }
            int[][] prefix = new int[n + 1][m + 1];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    prefix[i + 1][j + 1] = ta[i] == tb[j] ? prefix[i][j] + 1 : Math.max(prefix[i][j + 1], prefix[i + 1][j]);
                }
            }
            int[][] suffix = new int[n + 1][m + 1];
            for (int i = n - 1; i >= 0; i--) {
                for (int j = m - 1; j >= 0; j--) {
                    suffix[i][j] = ta[i] == tb[j] ? suffix[i + 1][j + 1] + 1 : Math.max(suffix[i + 1][j], suffix[i][j + 1]);
                }
            }
            int total = prefix[n][m];
            // Every target index that some longest alignment makes the last counterpart of a consumed record.
            TreeSet<Integer> lastTargets = new TreeSet<>();
            int[] lastSourceFor = new int[m];
            for (int j = 0; j < m; j++) {
                lastSourceFor[j] = -1;
                for (int i = k - 1; i >= 0; i--) {
                    if (ta[i] == tb[j] && prefix[i][j] + 1 + suffix[k][j + 1] == total) {
                        lastTargets.add(j);
                        lastSourceFor[j] = i;
                        break;
                    }
                }
            }
            if (suffix[k][0] == total) {
                lastTargets.add(-1);
            }
            if (lastTargets.size() > 1) {
                List<Long> candidates = new ArrayList<>();
                for (int j : lastTargets) {
                    candidates.add(j < 0 ? (m == 0 ? -1L : b.get(0).offset()) : b.get(j).offset() + 1);
                }
                return verdict(Outcome.AMBIGUOUS, null, null, candidates, -1, -1, -1, -1, List.of(),
                    lastTargets.size() + " equally good alignments of identical records put the cut at different "
                        + "target offsets " + candidates);
            }
            int jLast = lastTargets.isEmpty() ? -1 : lastTargets.first();
            int iLast = jLast < 0 ? -1 : lastSourceFor[jLast];
            // First counterpart of an unconsumed record, on one longest alignment of the rest.
            int iFirst = -1;
            int jFirst = -1;
            List<int[]> pairs = new ArrayList<>();
            int i = iLast;
            int j = jLast;
            while (i > 0 && j > 0) {
                if (ta[i - 1] == tb[j - 1] && prefix[i][j] == prefix[i - 1][j - 1] + 1) {
                    pairs.add(0, new int[] {i - 1, j - 1});
                    i--;
                    j--;
                } else if (prefix[i - 1][j] == prefix[i][j]) {
                    i--;
                } else {
                    j--;
                }
            }
            if (jLast >= 0) {
                pairs.add(new int[] {iLast, jLast});
            }
            i = k;
            j = jLast + 1;
            while (i < n && j < m) {
                if (ta[i] == tb[j] && suffix[i][j] == suffix[i + 1][j + 1] + 1) {
                    if (iFirst < 0) {
                        iFirst = i;
                        jFirst = j;
                    }
                    pairs.add(new int[] {i, j});
                    i++;
                    j++;
                } else if (suffix[i + 1][j] == suffix[i][j]) {
                    i++;
                } else {
                    j++;
                }
            }
            Long lower = jLast >= 0 ? Long.valueOf(b.get(jLast).offset() + 1) : null;
            lower = max(lower, linkLower);
            Long upper = jFirst >= 0 ? Long.valueOf(b.get(jFirst).offset()) : null;
            upper = min(upper, linkUpper);
            if (lower != null && upper != null && lower > upper) {
                return verdict(Outcome.CONFLICT, lower, upper, null, iLast, jLast, iFirst, jFirst, pairs,
                    "the logs disagree on order: a consumed record's counterpart is at target offset " + (lower - 1)
                        + ", after the counterpart of an unconsumed one at " + upper);
            }
            List<LogRecord> gap = new ArrayList<>();
            boolean[] matchedB = new boolean[m];
            pairs.forEach(p -> matchedB[p[1]] = true);
            for (int jj = 0; jj < m; jj++) {
                long off = b.get(jj).offset();
                if (!matchedB[jj] && !linkedB[jj] && (lower == null || off >= lower) && (upper == null || off < upper)) {
                    gap.add(b.get(jj));
                }
            }
            if (needMoreTarget(iLast, jFirst)) {
                return verdict(Outcome.NEED_MORE_TARGET, lower, upper, null, iLast, jLast, iFirst, jFirst, pairs,
                    "consumed records after source offset " + (iLast < 0 ? "(none)" : a.get(iLast).offset())
                        + " may have counterparts after target offset " + (m == 0 ? "(none)" : b.get(m - 1).offset()));
            }
            Outcome outcome = lower == null ? Outcome.NO_CONSUMED_COUNTERPART : Outcome.RESOLVED;
            return verdict(outcome, lower, upper, null, iLast, jLast, iFirst, jFirst, pairs, null, gap);
        }

        /** Whether unmatched consumed records could still find counterparts beyond the target window's end. */
        private boolean needMoreTarget(int iLast, int jFirst) {
            if (jFirst >= 0 || in.targetToEnd()) {
                return false;
            }
            long newestUnmatchedConsumed = Long.MIN_VALUE;
            for (int i = iLast + 1; i < k; i++) {
                if (!linkedA[i]) {
                    newestUnmatchedConsumed = Math.max(newestUnmatchedConsumed, a.get(i).timestamp());
                }
            }
            if (newestUnmatchedConsumed == Long.MIN_VALUE) {
                return false;
            }
            long targetReached = m == 0 ? Long.MIN_VALUE : b.get(m - 1).timestamp();
            return targetReached <= newestUnmatchedConsumed + in.skewMillis();
        }

        private Result verdict(Outcome outcome, Long lower, Long upper, List<Long> candidates, int iLast, int jLast,
                               int iFirst, int jFirst, List<int[]> pairs, String detail) {
            return verdict(outcome, lower, upper, candidates, iLast, jLast, iFirst, jFirst, pairs, detail, List.of());
        }

        private Result verdict(Outcome outcome, Long lower, Long upper, List<Long> candidates, int iLast, int jLast,
                               int iFirst, int jFirst, List<int[]> pairs, String detail, List<LogRecord> gap) {
            String by = jLast >= 0 ? kindB[jLast] : jFirst >= 0 ? kindB[jFirst] : null;
            List<OneSided> onlySource = new ArrayList<>();
            List<OneSided> onlyTarget = new ArrayList<>();
            if (outcome != Outcome.AMBIGUOUS && outcome != Outcome.CONFLICT) {
                listOneSided(pairs, onlySource, onlyTarget, lower);
            }
            return new Result(outcome, lower, upper,
                iLast >= 0 ? a.get(iLast) : null, jLast >= 0 ? b.get(jLast) : null,
                iFirst >= 0 ? a.get(iFirst) : null, jFirst >= 0 ? b.get(jFirst) : null,
                by, List.copyOf(gap), onlySource, onlyTarget, candidates == null ? List.of() : candidates, detail);
        }

        /**
         * Unmatched records that are one-sided for certain: inside the matched span, or beyond it where the other window
         * reaches that end of its log. Records at a window's edge may have counterparts just outside the other window
         * and are not listed.
         */
        private void listOneSided(List<int[]> pairs, List<OneSided> onlySource, List<OneSided> onlyTarget, Long lower) {
            boolean[] matchedA = new boolean[n];
            boolean[] matchedB = new boolean[m];
            int lastA = -1;
            int firstB = Integer.MAX_VALUE;
            int lastB = -1;
            for (int[] p : pairs) {
                matchedA[p[0]] = true;
                matchedB[p[1]] = true;
                lastA = Math.max(lastA, p[0]);
                firstB = Math.min(firstB, p[1]);
                lastB = Math.max(lastB, p[1]);
            }
            for (int i = 0; i < n; i++) {
                if (!matchedA[i] && !linkedA[i] && (i <= lastA || in.targetToEnd())) {
                    onlySource.add(new OneSided(a.get(i), a.get(i).offset() < in.cut()));
                }
            }
            for (int j = 0; j < m; j++) {
                boolean inSpan = j >= firstB && (j <= lastB || in.sourceToEnd());
                boolean leading = j < firstB && in.sourceFromLogStart();
                if (!matchedB[j] && !linkedB[j] && (inSpan || leading)) {
                    boolean beforeCut = lower != null && b.get(j).offset() < lower;
                    onlyTarget.add(new OneSided(b.get(j), beforeCut));
                }
            }
        }
    }

    private static Long max(Long x, Long y) {
        return x == null ? y : y == null ? x : Long.valueOf(Math.max(x, y));
    }

    private static Long min(Long x, Long y) {
        return x == null ? y : y == null ? x : Long.valueOf(Math.min(x, y));
    }
}
