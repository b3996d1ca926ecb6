package dev.turnout.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs the whole suite at smoke sizes, so that it keeps working: every scenario runs to its end and reports its figures,
 * the table is printed and the JSON written. Figures are not checked (no timing assertions in tests), only that they
 * exist and are measurements.
 */
class BenchSmokeTest {

    @Test
    void smokeRunReportsEveryFigureOfEveryScenario(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench-results.json");
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new BenchMain()).setOut(new PrintWriter(out))
            .execute("--smoke", "--out", json.toString());

        assertThat(exit).as(out.toString()).isZero();
        JsonNode results = new ObjectMapper().readTree(json.toFile());
        assertThat(results.get("failed")).as(out.toString()).isEmpty();
        List<String> figures = results.get("figures").findValuesAsText("name");
        assertThat(figures).containsExactly("bulk.turnout", "bulk.native", "bulk.ratio", "oltp.turnout", "oltp.native",
            "oltp.ratio", "rate", "p50", "p95", "p99", "pipeline.peak", "pipeline.live", "turnout", "decode", "debezium",
            "debezium.cpu", "ratio", "debezium.ratio", "turnout.share", "equal", "planted", "group.10.partitions");
        for (JsonNode figure : results.get("figures")) {
            assertThat(figure.get("value").isNumber()).as(figure.toString()).isTrue();
            assertThat(figure.get("value").asDouble()).as(figure.toString()).isPositive().isFinite();
        }
        assertThat(out.toString()).contains("SCENARIO", "bulk.ratio", "planted");
    }
}
