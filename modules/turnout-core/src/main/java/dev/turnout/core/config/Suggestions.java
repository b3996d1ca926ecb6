package dev.turnout.core.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

import org.apache.commons.text.similarity.LevenshteinDistance;

/** "Did you mean" for misspelt keys, tables and columns. */
public final class Suggestions {

    private Suggestions() {
    }

    /** The candidate closest to {@code input} by edit distance, if it is close enough to be a likely typo. */
    public static Optional<String> closest(String input, Collection<String> candidates) {
        int threshold = Math.max(2, input.length() / 3);
        LevenshteinDistance distance = new LevenshteinDistance(threshold);
        return candidates.stream()
            .filter(c -> distance.apply(input.toLowerCase(), c.toLowerCase()) >= 0)
            .min(Comparator.comparingInt((String c) -> distance.apply(input.toLowerCase(), c.toLowerCase()))
                .thenComparing(Comparator.naturalOrder()));
    }

    /** {@code "; did you mean 'x'?"} or empty. */
    public static String didYouMean(String input, Collection<String> candidates) {
        return closest(input, candidates).map(s -> "; did you mean '" + s + "'?").orElse("");
    }
}
