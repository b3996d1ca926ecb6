package dev.turnout.core.config.spec;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.turnout.core.config.TableId;

/** The scalar specs Turnout's config uses. Each parses YAML text and rejects what it cannot accept. */
public final class Scalars {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern PERCENT = Pattern.compile("\\d{1,3}(\\.\\d{1,2})?");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+]");

    private Scalars() {
    }

    /** Any text. */
    public static ScalarSpec string() {
        return new ScalarSpec("string", "a string", text -> text);
    }

    /** Text that is not empty or blank. */
    public static ScalarSpec nonEmptyString() {
        return new ScalarSpec("string", "a non-empty string", text -> {
            if (text.isBlank()) {
                throw new IllegalArgumentException();
            }
            return text;
        });
    }

    /** A whole number within {@code [min, max]}. */
    public static ScalarSpec integer(int min, int max) {
        return new ScalarSpec("integer", "an integer from " + min + " to " + max, text -> {
            int value;
            try {
                value = Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException();
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException();
            }
            return value;
        });
    }

    /**
     * A percentage from 0 to 100 with at most two decimals (a basis point), written {@code 25}, {@code 12.5} or
     * {@code 0.01%}; bound as a {@code BigDecimal} number of percent.
     */
    public static ScalarSpec percent() {
        return new ScalarSpec("percent", "a percentage from 0 to 100 with at most two decimals, such as 25 or 0.5", text -> {
            String t = text.strip();
            if (t.endsWith("%")) {
                t = t.substring(0, t.length() - 1).strip();
            }
            if (!PERCENT.matcher(t).matches()) {
                throw new IllegalArgumentException();
            }
            BigDecimal value = new BigDecimal(t);
            if (value.compareTo(BigDecimal.valueOf(100)) > 0) {
                throw new IllegalArgumentException();
            }
            BigDecimal plain = value.stripTrailingZeros();
            return plain.scale() < 0 ? plain.setScale(0) : plain;
        });
    }

    /** {@code true} or {@code false}. */
    public static ScalarSpec bool() {
        return new ScalarSpec("boolean", "true or false", text -> switch (text.strip()) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException();
        });
    }

    /** A duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}; bound as ISO-8601 text. */
    public static ScalarSpec duration() {
        return new ScalarSpec("duration", "a duration such as 500ms, 30s, 5m or 1h", text -> {
            Matcher m = DURATION.matcher(text.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException();
            }
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return d.toString();
        });
    }

    /** One of an enum's config values (see {@link ConfigEnum}). */
    public static <E extends Enum<E> & ConfigEnum> ScalarSpec oneOf(Class<E> type) {
        String values = Arrays.stream(type.getEnumConstants()).map(ConfigEnum::value).collect(Collectors.joining(", "));
        return new ScalarSpec(values.replace(", ", " | "), "one of " + values, text -> {
            for (E e : type.getEnumConstants()) {
                if (e.value().equals(text.strip())) {
                    return e.value();
                }
            }
            throw new IllegalArgumentException();
        });
    }

    /** A lower-case name for topics, slots and publications: letters, digits, {@code _}, starting with a letter. */
    public static ScalarSpec name(int maxLength) {
        Pattern p = Pattern.compile("[a-z][a-z0-9_]{0," + (maxLength - 1) + "}");
        return new ScalarSpec("name", "a name of lower-case letters, digits and _ starting with a letter (at most "
            + maxLength + " characters)", text -> {
            if (!p.matcher(text).matches()) {
                throw new IllegalArgumentException();
            }
            return text;
        });
    }

    /** A key of a user-named entry (cluster name, property name): non-empty, no spaces. */
    public static ScalarSpec key() {
        return new ScalarSpec("key", "a key without spaces", text -> {
            if (text.isEmpty() || text.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException();
            }
            return text;
        });
    }

    /** An unquoted PostgreSQL identifier (a column name). */
    public static ScalarSpec identifier() {
        return new ScalarSpec("column", "a column name (letters, digits, _ and $, not starting with a digit)", text -> {
            if (!TableId.IDENTIFIER.matcher(text).matches()) {
                throw new IllegalArgumentException();
            }
            return text;
        });
    }

    /** {@code schema.table}. */
    public static ScalarSpec tableName() {
        return new ScalarSpec("schema.table", "schema.table", text -> {
            if (!TableId.isValid(text)) {
                throw new IllegalArgumentException();
            }
            return text;
        });
    }

    /** {@code host:port}. */
    public static ScalarSpec hostPort() {
        return new ScalarSpec("host:port", "host:port", text -> {
            requireHostPort(text.strip());
            return text.strip();
        });
    }

    /** A Kafka bootstrap list: {@code host:port[,host:port...]}. */
    public static ScalarSpec bootstrap() {
        return new ScalarSpec("bootstrap", "host:port[,host:port...]", text -> {
            String[] parts = text.split(",", -1);
            for (String part : parts) {
                requireHostPort(part.strip());
            }
            return Arrays.stream(parts).map(String::strip).collect(Collectors.joining(","));
        });
    }

    /** A PostgreSQL JDBC URL. */
    public static ScalarSpec jdbcUrl() {
        return new ScalarSpec("JDBC URL", "a JDBC URL such as jdbc:postgresql://host:5432/database", text -> {
            String t = text.strip();
            if (!t.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException();
            }
            URI uri = uri(t.substring("jdbc:".length()));
            if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
                throw new IllegalArgumentException();
            }
            return t;
        });
    }

    /** An {@code http} or {@code https} URL. */
    public static ScalarSpec httpUrl() {
        return new ScalarSpec("URL", "an http:// or https:// URL", text -> {
            URI uri = uri(text.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return text.strip();
        });
    }

    private static URI uri(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException();
        }
    }

    private static void requireHostPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || !HOST.matcher(text.substring(0, colon)).matches()) {
            throw new IllegalArgumentException();
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be from 1 to 65535");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException();
        }
    }
}
