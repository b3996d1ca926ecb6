package dev.turnout.core.config;

/**
 * A config as loaded: the bound, validated record and the effective configuration (defaults filled in, environment
 * references expanded, secrets masked) as YAML text, for {@code config check} and start-up logs.
 */
public record LoadedConfig(String file, TurnoutConfig config, String effectiveYaml) {

    @Override
    public String toString() {
        return "LoadedConfig[" + file + "]";
    }
}
