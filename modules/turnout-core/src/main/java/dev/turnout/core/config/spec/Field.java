package dev.turnout.core.config.spec;

import java.util.Objects;
import java.util.Optional;

/**
 * One key of an {@link ObjectSpec}: its name, spec, whether it is required, its default, and its documentation.
 *
 * <p>A default is written the way a user would write it in YAML (a {@code String} for scalars, a {@code List} or
 * {@code Map} for the rest) and goes through the same validation as user input, so a bad default fails the schema test.
 * An optional key without default binds as absent ({@code Optional.empty()}).
 */
public final class Field {

    private final String name;
    private final Spec spec;
    private final boolean required;
    private final Object defaultValue;
    private final String doc;
    private final boolean secret;

    private Field(String name, Spec spec, boolean required, Object defaultValue, String doc, boolean secret) {
        this.name = Objects.requireNonNull(name);
        this.spec = Objects.requireNonNull(spec);
        this.required = required;
        this.defaultValue = defaultValue;
        this.doc = Objects.requireNonNull(doc);
        this.secret = secret;
        if (required && defaultValue != null) {
            throw new IllegalArgumentException(name + ": a required key has no default");
        }
        if (secret && !(spec instanceof ScalarSpec)) {
            throw new IllegalArgumentException(name + ": only a scalar can be secret");
        }
    }

    /** A key that must be present. */
    public static Field required(String name, Spec spec, String doc) {
        return new Field(name, spec, true, null, doc, false);
    }

    /** A key that may be absent. */
    public static Field optional(String name, Spec spec, String doc) {
        return new Field(name, spec, false, null, doc, false);
    }

    /** This key with a default used when it is absent. */
    public Field withDefault(Object value) {
        return new Field(name, spec, false, Objects.requireNonNull(value), doc, secret);
    }

    /** This key as a secret: masked whenever the config is shown, never echoed in an error. */
    public Field secret() {
        return new Field(name, spec, required, defaultValue, doc, true);
    }

    public String name() {
        return name;
    }

    public Spec spec() {
        return spec;
    }

    public boolean isRequired() {
        return required;
    }

    public Optional<Object> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public String doc() {
        return doc;
    }

    public boolean isSecret() {
        return secret;
    }
}
