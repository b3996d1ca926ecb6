package dev.turnout.bench;

import java.util.List;

/** One benchmark scenario: sets up what it needs in the environment, measures, and returns its figures. */
interface Scenario {

    /** A short name, used by {@code --only} and as the figures' scenario. */
    String name();

    List<Figure> run(BenchEnvironment env) throws Exception;
}
