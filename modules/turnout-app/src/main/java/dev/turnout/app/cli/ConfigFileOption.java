package dev.turnout.app.cli;

import java.nio.file.Path;

import dev.turnout.core.config.ConfigLoader;
import dev.turnout.core.config.LoadedConfig;
import picocli.CommandLine.Option;

/** The {@code -c FILE} option shared by every verb that reads {@code turnout.yaml}. */
public final class ConfigFileOption {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", required = true,
        description = "The Turnout config file (turnout.yaml).")
    private Path file;

    /** Loads and validates the file; a {@code ConfigException} reaches the central handler and exits 2. */
    public LoadedConfig load() {
        return ConfigLoader.load(file);
    }
}
