package dev.turnout.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs scenarios one after another on one {@link BenchEnvironment} and collects their figures. A scenario that fails is
 * reported with its reason and the next one runs.
 */
final class BenchSuite {

    private static final Logger log = LoggerFactory.getLogger(BenchSuite.class);

    /** The scenarios of a default run, in order. */
    static List<Scenario> defaultScenarios() {
        return List.of(new EndToEndScenario(), new CaptureScenario(), new VerifyScenario(),
            new OffsetTranslationScenario());
    }

    private BenchSuite() {
    }

    /** Runs the scenarios whose names are in {@code only} (all when empty), printing progress to {@code progress}. */
    static void run(BenchEnvironment env, List<Scenario> scenarios, Set<String> only, BenchReport report,
                    PrintWriter progress) {
        for (Scenario scenario : scenarios) {
            if (!only.isEmpty() && !only.contains(scenario.name())) {
                continue;
            }
            progress.println("turnout-bench: running " + scenario.name() + "...");
            progress.flush();
            long started = System.nanoTime();
            try {
                report.add(scenario.run(env));
                progress.printf("turnout-bench: %s done in %.0f s%n", scenario.name(), (System.nanoTime() - started) / 1e9);
            } catch (Exception e) {
                String reason = e.getMessage() == null ? e.toString() : e.getMessage();
                log.debug("Scenario {} failed", scenario.name(), e);
                report.failed(scenario.name(), reason);
                progress.println("turnout-bench: " + scenario.name() + " FAILED: " + reason);
            }
            progress.flush();
        }
    }
}
