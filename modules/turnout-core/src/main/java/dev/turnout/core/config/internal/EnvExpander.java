package dev.turnout.core.config.internal;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Expands {@code ${NAME}} and {@code ${NAME:-default}} in config text from an environment; {@code $$} is a literal
 * {@code $}. An unset variable without a default, or a malformed reference, is an error: a config never silently gets an
 * empty value.
 */
public final class EnvExpander {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Map<String, String> env;

    public EnvExpander(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** Thrown for a reference that cannot be expanded; the message says which and how to fix it. */
    public static final class BadReference extends RuntimeException {
        BadReference(String message) {
            super(message);
        }
    }

    public String expand(String text) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$' || i + 1 >= text.length()) {
                out.append(c);
                i++;
            } else if (text.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (text.charAt(i + 1) == '{') {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw new BadReference("unterminated reference '" + text.substring(i)
                        + "': expected ${NAME} or ${NAME:-default}");
                }
                out.append(resolve(text.substring(i + 2, end)));
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private String resolve(String reference) {
        int sep = reference.indexOf(":-");
        String name = sep < 0 ? reference : reference.substring(0, sep);
        if (!NAME.matcher(name).matches()) {
            throw new BadReference("malformed reference '${" + reference
                + "}': expected ${NAME} or ${NAME:-default} with NAME of letters, digits and _");
        }
        String value = env.get(name);
        if (value != null && !(sep >= 0 && value.isEmpty())) {
            return value;
        }
        if (sep >= 0) {
            return reference.substring(sep + 2);
        }
        throw new BadReference("environment variable " + name + " is not set; set it or write ${" + name
            + ":-default}");
    }
}
