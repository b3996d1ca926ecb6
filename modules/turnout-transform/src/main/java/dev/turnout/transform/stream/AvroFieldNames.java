package dev.turnout.transform.stream;

/**
 * The field name Debezium gives a column under {@code field.name.adjustment.mode=avro}, which capture sets: Avro names
 * allow only {@code [A-Za-z_][A-Za-z0-9_]*}, so every other character becomes {@code _}, and a leading digit is
 * prefixed with {@code _} ({@code first-name} → {@code first_name}, {@code 1st} → {@code _1st}). Mappings name columns
 * as the catalog does, so the transform maps fields back. Stateless.
 */
public final class AvroFieldNames {

    private AvroFieldNames() {
    }

    /** The Avro field name of a catalog column name. */
    public static String adjust(String column) {
        if (column.isEmpty()) {
            return column;
        }
        StringBuilder out = new StringBuilder(column.length() + 1);
        char first = column.charAt(0);
        if (isLetter(first) || first == '_') {
            out.append(first);
        } else if (isDigit(first)) {
            out.append('_').append(first);
        } else {
            out.append('_');
        }
        for (int i = 1; i < column.length(); i++) {
            char c = column.charAt(i);
            out.append(isLetter(c) || isDigit(c) || c == '_' ? c : '_');
        }
        return out.toString();
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
