package dev.turnout.transform;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.turnout.core.config.ConfigException;
import dev.turnout.core.config.ConfigProblem;
import dev.turnout.core.config.LoadedConfig;

/**
 * Problems found while compiling mappings, collected so that all are reported at once: located in the config file
 * when there is one, otherwise named by key path alone. Confined to the compiling thread.
 */
final class Problems {

    private final LoadedConfig config;
    private final String source;
    private final List<ConfigProblem> problems = new ArrayList<>();

    private Problems(LoadedConfig config, String source) {
        this.config = config;
        this.source = source;
    }

    static Problems locatedIn(LoadedConfig config) {
        return new Problems(config, config.file());
    }

    static Problems unlocated(String source) {
        return new Problems(null, source);
    }

    void add(String keyPath, String message) {
        problems.add(config != null ? config.problemAt(keyPath, message)
            : new ConfigProblem(source, 0, 0, keyPath, message));
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            List<ConfigProblem> sorted = new ArrayList<>(problems);
            // File order, as the loader reports; problems at one place keep the order they were found in.
            sorted.sort(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column));
            throw new ConfigException(sorted);
        }
    }
}
