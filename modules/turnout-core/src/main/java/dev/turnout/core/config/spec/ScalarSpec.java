package dev.turnout.core.config.spec;

import java.util.Objects;
import java.util.function.Function;

/**
 * A single value written as text in YAML (string, number, boolean, duration, name...).
 *
 * <p>The parser turns the text into the normalised value that binding receives (a {@code String}, {@code Integer},
 * {@code Long} or {@code Boolean}); it throws {@link IllegalArgumentException} when the text is not acceptable, and the
 * validator then reports "expected {@link #expected()}, got ...". A message in the exception, if any, is appended as the
 * reason.
 */
public final class ScalarSpec implements Spec {

    private final String typeName;
    private final String expected;
    private final Function<String, Object> parser;

    public ScalarSpec(String typeName, String expected, Function<String, Object> parser) {
        this.typeName = Objects.requireNonNull(typeName);
        this.expected = Objects.requireNonNull(expected);
        this.parser = Objects.requireNonNull(parser);
    }

    /** Parses and validates text; throws {@link IllegalArgumentException} if it is not acceptable. */
    public Object parse(String text) {
        return parser.apply(text);
    }

    @Override
    public String expected() {
        return expected;
    }

    @Override
    public String typeName() {
        return typeName;
    }
}
