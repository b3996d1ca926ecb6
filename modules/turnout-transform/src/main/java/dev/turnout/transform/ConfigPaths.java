package dev.turnout.transform;

import java.util.Set;
import java.util.regex.Pattern;

/** Names written the way config key paths and CEL expressions need them. Stateless. */
final class ConfigPaths {

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern CEL_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> CEL_RESERVED = Set.of("as", "break", "const", "continue", "else", "false", "for",
        "function", "if", "import", "in", "let", "loop", "package", "namespace", "null", "return", "true", "var", "void",
        "while");

    private ConfigPaths() {
    }

    /** A map key in a key path, quoted as the config loader shows it when it is not a plain name. */
    static String key(String name) {
        return PLAIN_KEY.matcher(name).matches() ? name : "\"" + name.replace("\"", "\\\"") + "\"";
    }

    /** A column as a field of {@code row}: a plain identifier, or back-quoted (CEL's quoted identifier syntax). */
    static String celField(String column) {
        return CEL_IDENTIFIER.matcher(column).matches() && !CEL_RESERVED.contains(column) ? column : "`" + column + "`";
    }
}
