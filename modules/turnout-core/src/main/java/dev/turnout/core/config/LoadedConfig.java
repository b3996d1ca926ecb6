package dev.turnout.core.config;

import java.util.Objects;

import dev.turnout.core.config.internal.KeyPath;
import dev.turnout.core.config.internal.LocatedYaml;

/**
 * A config as loaded: the bound, validated record, the effective configuration (defaults filled in, environment
 * references expanded, secrets masked) as YAML text for {@code config check} and start-up logs, and where each key sits
 * in the file, so that checks made after loading (mappings against the source catalog, say) report problems located
 * like the loader's own. Immutable and thread-safe.
 */
public final class LoadedConfig {

    /** A 1-based line and column in the config file; {@code 1:1} for the document itself. */
    public record Location(int line, int column) {
    }

    private final String file;
    private final TurnoutConfig config;
    private final String effectiveYaml;
    private final LocatedYaml document;

    LoadedConfig(String file, TurnoutConfig config, String effectiveYaml, LocatedYaml document) {
        this.file = Objects.requireNonNull(file);
        this.config = Objects.requireNonNull(config);
        this.effectiveYaml = Objects.requireNonNull(effectiveYaml);
        this.document = Objects.requireNonNull(document);
    }

    /** The file name as the user gave it. */
    public String file() {
        return file;
    }

    public TurnoutConfig config() {
        return config;
    }

    public String effectiveYaml() {
        return effectiveYaml;
    }

    /**
     * Where the value at {@code keyPath} starts in the file, as the loader's messages name keys:
     * {@code mappings[0].columns.name}, {@code source.tables[1]}, a key that is not a plain name in double quotes
     * ({@code mappings[0].columns."first name"}). A key absent from the file (a default) is located at its nearest
     * ancestor that is written. Throws {@link IllegalArgumentException} for a malformed path.
     */
    public Location locate(String keyPath) {
        LocatedYaml.Mark mark = document.valueMark(KeyPath.parse(keyPath).pointer());
        return new Location(mark.line(), mark.column());
    }

    /** A problem located at the value of {@code keyPath}, in the form every config error takes. */
    public ConfigProblem problemAt(String keyPath, String message) {
        Location at = locate(keyPath);
        return new ConfigProblem(file, at.line(), at.column(), keyPath, message);
    }

    @Override
    public String toString() {
        return "LoadedConfig[" + file + "]";
    }
}
