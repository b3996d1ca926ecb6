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

    /**
     * Reads a path in its display form ({@code mappings[0].columns."first name"}), the inverse of building it with
     * {@link #key} and {@link #index}. Throws {@link IllegalArgumentException} naming the offset of a malformed part.
     */
    public static KeyPath parse(String display) {
        KeyPath path = ROOT;
        int i = 0;
        int n = display.length();
        while (i < n) {
            char c = display.charAt(i);
            if (c == '[') {
                int close = display.indexOf(']', i);
                if (close < 0 || !display.substring(i + 1, close).matches("\\d+")) {
                    throw malformed(display, i);
                }
                path = path.index(Integer.parseInt(display.substring(i + 1, close)));
                i = close + 1;
                continue;
            }
            if (c == '.') {
                if (i == 0 || i == n - 1) {
                    throw malformed(display, i);
                }
                i++;
                c = display.charAt(i);
            } else if (i != 0) {
                throw malformed(display, i);
            }
            if (c == '"') {
                StringBuilder name = new StringBuilder();
                int j = i + 1;
                while (j < n && display.charAt(j) != '"') {
                    if (display.charAt(j) == '\\' && j + 1 < n) {
                        j++;
                    }
                    name.append(display.charAt(j++));
                }
                if (j >= n) {
                    throw malformed(display, i);
                }
                path = path.key(name.toString());
                i = j + 1;
            } else {
                int end = i;
                while (end < n && display.charAt(end) != '.' && display.charAt(end) != '[') {
                    end++;
                }
                if (end == i) {
                    throw malformed(display, i);
                }
                path = path.key(display.substring(i, end));
                i = end;
            }
        }
        return path;
    }

    private static IllegalArgumentException malformed(String display, int offset) {
        return new IllegalArgumentException("malformed key path \"" + display + "\" at offset " + offset
            + "; expected names joined by '.', [index] and \"quoted\" names");
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
