package dev.turnout.core.config.internal;

/**
 * Where a value sits in the document, both as users read it ({@code mappings[0].columns.name}) and as a JSON pointer
 * ({@code /mappings/0/columns/name}) for looking up its location.
 */
public record KeyPath(String display, String pointer) {

    public static final KeyPath ROOT = new KeyPath("", "");

    public KeyPath key(String name) {
        boolean plain = name.matches("[A-Za-z0-9_-]+");
        String shown = plain ? name : "\"" + name.replace("\"", "\\\"") + "\"";
        return new KeyPath(display.isEmpty() ? shown : display + "." + shown, pointer + "/" + escape(name));
    }

    public KeyPath index(int i) {
        return new KeyPath(display + "[" + i + "]", pointer + "/" + i);
    }

    public KeyPath parent() {
        int slash = pointer.lastIndexOf('/');
        if (slash < 0) {
            return ROOT;
        }
        // The display form of a parent is only needed for locations, so an approximate one is not kept.
        return new KeyPath("", pointer.substring(0, slash));
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
