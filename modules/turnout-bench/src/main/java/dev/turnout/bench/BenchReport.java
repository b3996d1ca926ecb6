package dev.turnout.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The suite's results: figures, scenarios that failed (with the reason) and scenarios not run (with the reason). Prints
 * them as a table and writes them as JSON. Not thread-safe.
 */
final class BenchReport {

    /** A scenario that failed or was not run, and why. */
    record Outcome(String scenario, String reason) {
    }

    private final Instant started = Instant.now();
    private final boolean smoke;
    private final String pipelineHeap;
    private final Map<String, String> brokerConfig;
    private final List<Figure> figures = new ArrayList<>();
    private final List<Outcome> failed = new ArrayList<>();

    BenchReport(boolean smoke, String pipelineHeap, Map<String, String> brokerConfig) {
        this.smoke = smoke;
        this.pipelineHeap = pipelineHeap;
        this.brokerConfig = Map.copyOf(brokerConfig);
    }

    void add(List<Figure> scenarioFigures) {
        figures.addAll(scenarioFigures);
    }

    void failed(String scenario, String reason) {
        failed.add(new Outcome(scenario, reason));
    }

    List<Figure> figures() {
        return List.copyOf(figures);
    }

    List<Outcome> failures() {
        return List.copyOf(failed);
    }

    void print(PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SCENARIO", "FIGURE", "VALUE", "UNIT", "GOAL", "MET", "HOW"});
        for (Figure f : figures) {
            rows.add(new String[] {f.scenario(), f.name(), format(f.value()), f.unit(), f.goal(),
                f.met() == null ? "" : f.met() ? "yes" : "NO", f.note()});
        }
        int[] width = new int[6];
        for (String[] row : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                String cell = i == 2 ? " ".repeat(width[i] - row[i].length()) + row[i]
                    : row[i] + " ".repeat(width[i] - row[i].length());
                line.append(cell).append("  ");
            }
            out.println(line.append(row[6]).toString().stripTrailing());
        }
        failed.forEach(o -> out.println("FAILED: " + o.scenario() + ": " + o.reason()));
        out.println("(" + (smoke ? "smoke sizes; " : "") + Runtime.getRuntime().availableProcessors()
            + " cores; pipeline JVM -Xmx" + pipelineHeap
            + (brokerConfig.isEmpty() ? "; broker defaults" : "; broker " + new TreeMap<>(brokerConfig)) + ")");
        out.flush();
    }

    private static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    void write(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("startedAt", started.toString());
        json.put("smoke", smoke);
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("java", System.getProperty("java.version"));
        json.put("pipelineHeap", pipelineHeap);
        json.put("brokerConfig", new TreeMap<>(brokerConfig));
        json.put("figures", figures);
        json.put("failed", failed);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }
}
