package dev.turnout.core.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A config file that cannot be used. Carries every problem found in one pass, each located; the message is one line per
 * problem. Never carries a secret value.
 */
public final class ConfigException extends RuntimeException {

    private final transient List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public ConfigException(ConfigProblem problem) {
        this(List.of(problem));
    }

    /** The problems, in file order. */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
