package dev.turnout.apply.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits one partition's changes into rounds in which every key occurs at most once, so that each round can be one
 * statement per operation, and applying the rounds in order gives what applying every change in order would.
 *
 * <p>A change that carries every column (an upsert with all columns, or a delete) supersedes the changes to its key
 * before it in the batch when it is newer than all of them: whatever they did, it overwrites, and the guard gives the
 * same answer for it against the row as it was as against the row they would have left. Any other change (an upsert
 * that does not carry some column, which must keep the value the earlier changes leave, or a change older than one
 * before it) goes into the next round, to be applied after them. Superseded changes are returned apart: nothing
 * writes them, and they are not dead-lettered even if they were poison.
 */
public final class Rounds {

    private final List<List<Change>> rounds;
    private final List<Change> superseded;

    private Rounds(List<List<Change>> rounds, List<Change> superseded) {
        this.rounds = rounds;
        this.superseded = superseded;
    }

    /** The rounds of {@code changes}, which are in partition (offset) order. */
    public static Rounds of(List<Change> changes) {
        Map<String, List<Change>> byKey = new LinkedHashMap<>();
        List<Change> superseded = new ArrayList<>();
        for (Change change : changes) {
            List<Change> pending = byKey.computeIfAbsent(change.tombstoneKey(), k -> new ArrayList<>());
            if (!change.partial() && pending.stream().allMatch(p -> p.lsn() < change.lsn())) {
                superseded.addAll(pending);
                pending.clear();
            }
            pending.add(change);
        }
        List<List<Change>> rounds = new ArrayList<>();
        for (List<Change> pending : byKey.values()) {
            for (int i = 0; i < pending.size(); i++) {
                if (rounds.size() <= i) {
                    rounds.add(new ArrayList<>());
                }
                rounds.get(i).add(pending.get(i));
            }
        }
        return new Rounds(rounds, superseded);
    }

    /** The rounds, to apply in order; no key occurs twice in one round. */
    public List<List<Change>> rounds() {
        return rounds;
    }

    /** Changes a later change to the same key in the batch overwrites entirely. */
    public List<Change> superseded() {
        return superseded;
    }
}
