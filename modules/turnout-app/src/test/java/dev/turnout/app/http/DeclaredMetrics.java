package dev.turnout.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.assertj.core.api.SoftAssertions;

import dev.turnout.core.metrics.MetricDefinition;
import dev.turnout.core.metrics.TurnoutMetrics;

/**
 * Checks a real scrape against Prometheus naming conventions and against Turnout's metric catalogue
 * ({@link TurnoutMetrics}): what alert rules and dashboards rely on.
 */
public final class DeclaredMetrics {

    private DeclaredMetrics() {
    }

    /**
     * Every family is lower-case snake case with no non-base unit; every counter's samples end in {@code _total}; every
     * sample carries {@code pipeline}; every {@code turnout_} family is declared in the catalogue with the same type.
     */
    public static void assertConventionsAndCatalogue(PrometheusText scrape, String pipeline) {
        SoftAssertions soft = new SoftAssertions();
        scrape.types().forEach((family, type) -> {
            soft.assertThat(family).as("family name").matches("[a-z][a-z0-9_]*")
                .doesNotContain("_milliseconds", "_millis", "_ms_", "_kilobytes", "_megabytes", "_minutes");
            if (family.startsWith("turnout_")) {
                Optional<MetricDefinition> declared = declaration(family);
                soft.assertThat(declared).as("%s (%s) is declared in TurnoutMetrics", family, type).isPresent();
                declared.ifPresent(d -> soft.assertThat(type).as("type of %s", family).isIn(expectedTypes(d, family)));
            }
        });
        for (PrometheusText.Sample sample : scrape.samples()) {
            String family = familyOf(scrape, sample.name());
            if ("counter".equals(scrape.types().get(family))) {
                soft.assertThat(sample.name()).as("counter sample").endsWith("_total");
            }
            soft.assertThat(sample.labels()).as("labels of %s", sample.name()).containsEntry("pipeline", pipeline);
        }
        soft.assertAll();
    }

    /** Every metric the catalogue declares for {@code source} appears in the scrape under its declared samples. */
    static void assertAllDeclaredFor(String source, PrometheusText scrape) {
        Set<String> names = scrape.samples().stream().map(PrometheusText.Sample::name).collect(Collectors.toSet());
        for (MetricDefinition d : TurnoutMetrics.ALL) {
            if (d.source().equals(source)) {
                String sample = d.prometheusSamples().get(0);
                assertThat(names).as("%s (%s) in the scrape", d.name(), sample).contains(sample);
            }
        }
    }

    private static Optional<MetricDefinition> declaration(String family) {
        return TurnoutMetrics.ALL.stream().filter(d -> {
            String name = d.prometheusName();
            return family.equals(name) || family.equals(name + "_total")
                || d.type() == MetricDefinition.Type.TIMER && family.equals(name + "_max");
        }).findFirst();
    }

    private static Set<String> expectedTypes(MetricDefinition d, String family) {
        return switch (d.type()) {
            case COUNTER -> Set.of("counter");
            case GAUGE -> Set.of("gauge");
            // A timer is a summary, or a histogram when it publishes a percentile histogram; its maximum is a gauge.
            case TIMER -> family.endsWith("_max") ? Set.of("gauge") : Set.of(d.histogram() ? "histogram" : "summary");
        };
    }

    private static String familyOf(PrometheusText scrape, String sample) {
        if (scrape.types().containsKey(sample)) {
            return sample;
        }
        for (String suffix : new String[] {"_total", "_count", "_sum", "_bucket", "_created"}) {
            if (sample.endsWith(suffix)) {
                String family = sample.substring(0, sample.length() - suffix.length());
                if (scrape.types().containsKey(family)) {
                    return family;
                }
            }
        }
        return sample;
    }
}
