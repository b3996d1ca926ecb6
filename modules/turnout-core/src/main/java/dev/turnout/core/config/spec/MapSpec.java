package dev.turnout.core.config.spec;

import java.util.regex.Pattern;

/**
 * A YAML mapping with keys chosen by the user (cluster names, column names, client properties).
 *
 * @param key        what a key must be
 * @param value      what each value must be
 * @param secretKeys values under keys matching this are masked wherever the config is shown; {@code null} for none
 */
public record MapSpec(ScalarSpec key, Spec value, Pattern secretKeys) implements Spec {

    public static MapSpec of(ScalarSpec key, Spec value) {
        return new MapSpec(key, value, null);
    }

    /** The same map, masking values whose key matches {@code secretKeys}. */
    public MapSpec maskingValuesOf(Pattern secretKeys) {
        return new MapSpec(key, value, secretKeys);
    }

    public boolean isSecretKey(String name) {
        return secretKeys != null && secretKeys.matcher(name).find();
    }

    @Override
    public String expected() {
        return "a mapping of " + key.typeName() + " to " + value.typeName();
    }

    @Override
    public String typeName() {
        return "map of " + key.typeName() + " to " + value.typeName();
    }
}
