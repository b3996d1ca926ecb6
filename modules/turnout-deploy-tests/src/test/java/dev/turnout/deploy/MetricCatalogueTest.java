package dev.turnout.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import dev.turnout.core.metrics.MetricDefinition;
import dev.turnout.core.metrics.TurnoutMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The metric catalogue the alert rules and dashboards rely on: the Prometheus names it states are the names Micrometer's
 * Prometheus registry really gives each declared meter, and the README lists exactly the catalogue.
 */
class MetricCatalogueTest {

    static final String BEGIN = "<!-- metrics-reference:begin (generated from TurnoutMetrics) -->";
    static final String END = "<!-- metrics-reference:end -->";

    @Test
    void declaredPrometheusNamesAreWhatMicrometerPublishes() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)
            .throwExceptionOnRegistrationFailure();
        AtomicLong gaugeValue = new AtomicLong(1);
        for (MetricDefinition d : TurnoutMetrics.ALL) {
            Tags tags = Tags.of(d.tags().stream().map(t -> io.micrometer.core.instrument.Tag.of(t, "x")).toList());
            switch (d.type()) {
                case COUNTER -> Counter.builder(d.name()).baseUnit(d.baseUnit().orElse(null)).tags(tags).register(registry)
                    .increment();
                case GAUGE -> Gauge.builder(d.name(), gaugeValue, AtomicLong::get).baseUnit(d.baseUnit().orElse(null))
                    .tags(tags).register(registry);
                case TIMER -> Timer.builder(d.name()).publishPercentileHistogram(d.histogram()).tags(tags)
                    .register(registry).record(Duration.ofMillis(5));
            }
        }
        String scrape = registry.scrape();
        SoftAssertions soft = new SoftAssertions();
        for (MetricDefinition d : TurnoutMetrics.ALL) {
            String type = switch (d.type()) {
                case COUNTER -> "counter";
                case GAUGE -> "gauge";
                case TIMER -> d.histogram() ? "histogram" : "summary";
            };
            soft.assertThat(scrape).as("family of %s", d.name())
                .containsPattern("(?m)^# TYPE " + d.prometheusName() + "(_total)? " + type + "$");
            for (String sample : d.prometheusSamples()) {
                soft.assertThat(scrape).as("sample %s of %s", sample, d.name()).containsPattern("(?m)^" + sample + "[{ ]");
            }
        }
        soft.assertAll();
        registry.close();
    }

    @Test
    void readmeListsEveryDeclaredMetric() throws IOException {
        Path readme = Repo.file("README.md");
        String text = Files.readString(readme);
        String generated = BEGIN + "\n" + markdown() + END;
        if (Boolean.getBoolean("turnout.updateReadme")) {
            int begin = text.indexOf(BEGIN);
            int end = text.indexOf(END) + END.length();
            Files.writeString(readme, text.substring(0, begin) + generated + text.substring(end));
            text = Files.readString(readme);
        }
        assertThat(text).as("README.md metric list is stale; regenerate with ./mvnw -pl modules/turnout-deploy-tests "
            + "-am verify -Dtest=MetricCatalogueTest -Dsurefire.failIfNoSpecifiedTests=false -Dturnout.updateReadme=true")
            .contains(generated);
    }

    static String markdown() {
        StringBuilder md = new StringBuilder("| Prometheus | Micrometer | type | labels | from | meaning |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (MetricDefinition d : TurnoutMetrics.ALL) {
            String sample = d.type() == MetricDefinition.Type.COUNTER ? d.prometheusSamples().get(0) : d.prometheusName();
            String labels = d.tags().isEmpty() ? "" : d.tags().stream().map(t -> "`" + t + "`")
                .collect(Collectors.joining(", "));
            md.append("| `").append(sample).append("` | `").append(d.name()).append("` | ")
                .append(d.type().name().toLowerCase(Locale.ROOT)).append(d.histogram() ? " (histogram)" : "")
                .append(" | ").append(labels).append(" | ")
                .append(d.source()).append(" | ").append(d.description()).append(" |\n");
        }
        return md.toString();
    }
}
