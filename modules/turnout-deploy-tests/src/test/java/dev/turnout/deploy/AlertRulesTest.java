package dev.turnout.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.turnout.core.metrics.MetricDefinition;
import dev.turnout.core.metrics.TurnoutMetrics;

/**
 * {@code deploy/prometheus/turnout-rules.yaml} is a valid Prometheus rules file, refers only to metrics Turnout
 * registers, and every alert has its runbook entry in the README.
 *
 * <p>Expressions are checked by {@link PromQl}, a strict test-only parser and type checker: no PromQL parser is
 * published on Maven Central. Structure is checked key by key against Prometheus's rule-file format.
 */
class AlertRulesTest {

    static final String RULES = "deploy/prometheus/turnout-rules.yaml";
    static final String CHART_COPY = "helm/turnout/files/turnout-rules.yaml";

    private static final Set<String> GROUP_KEYS = Set.of("name", "interval", "limit", "query_offset", "labels", "rules");
    private static final Set<String> ALERT_KEYS = Set.of("alert", "expr", "for", "keep_firing_for", "labels",
        "annotations");
    private static final Pattern DURATION = Pattern.compile("(\\d+y)?(\\d+w)?(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?(\\d+ms)?");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{(.*?)}}");
    private static final Pattern TEMPLATE_BODY = Pattern.compile(
        "\\s*\\$(labels\\.([a-zA-Z_][a-zA-Z0-9_]*)|value)"
            + "(\\s*\\|\\s*(humanize|humanize1024|humanizeDuration|humanizePercentage|printf \"[^\"]*\"))?\\s*");
    /** Labels every Turnout series has besides its tags: the registry's common tag and Prometheus's target labels. */
    private static final Set<String> COMMON_LABELS = Set.of("pipeline", "job", "instance");

    @Test
    void rulesFileHasPrometheusRuleStructure() {
        JsonNode root = Repo.yaml(RULES);
        assertThat(fieldNames(root)).containsExactly("groups");
        JsonNode groups = root.get("groups");
        assertThat(groups.isArray() && !groups.isEmpty()).as("groups is a non-empty list").isTrue();
        SoftAssertions soft = new SoftAssertions();
        Set<String> groupNames = new HashSet<>();
        Set<String> alertNames = new HashSet<>();
        for (JsonNode group : groups) {
            soft.assertThat(GROUP_KEYS).as("keys of a group").containsAll(fieldNames(group));
            String name = group.path("name").asText();
            soft.assertThat(name).as("group name").isNotBlank();
            soft.assertThat(groupNames.add(name)).as("group %s is unique", name).isTrue();
            JsonNode rules = group.get("rules");
            soft.assertThat(rules != null && rules.isArray() && !rules.isEmpty()).as("rules of %s", name).isTrue();
            for (JsonNode rule : rules) {
                String alert = rule.path("alert").asText();
                soft.assertThat(ALERT_KEYS).as("keys of %s", alert).containsAll(fieldNames(rule));
                soft.assertThat(alert).as("alert name").matches(LABEL_NAME);
                soft.assertThat(alertNames.add(alert)).as("alert %s is unique", alert).isTrue();
                soft.assertThat(rule.path("expr").isTextual() && !rule.path("expr").asText().isBlank())
                    .as("expr of %s", alert).isTrue();
                soft.assertThat(rule.path("for").asText()).as("for of %s", alert).isNotEmpty().matches(DURATION);
                JsonNode labels = rule.path("labels");
                soft.assertThat(labels.path("severity").asText()).as("severity of %s", alert).isIn("critical", "warning");
                labels.properties().forEach(l -> {
                    soft.assertThat(l.getKey()).as("label name in %s", alert).matches(LABEL_NAME);
                    soft.assertThat(l.getValue().isTextual()).as("label %s of %s is a string", l.getKey(), alert).isTrue();
                });
                JsonNode annotations = rule.path("annotations");
                soft.assertThat(fieldNames(annotations)).as("annotations of %s", alert)
                    .containsExactlyInAnyOrder("summary", "description", "runbook_url");
                annotations.properties().forEach(a -> soft.assertThat(a.getValue().isTextual())
                    .as("annotation %s of %s is a string", a.getKey(), alert).isTrue());
            }
        }
        soft.assertAll();
        assertThat(alerts().stream().map(r -> r.path("labels").path("severity").asText()).collect(Collectors.toSet()))
            .as("alerts are split into critical and warning").containsExactlyInAnyOrder("critical", "warning");
    }

    @Test
    void everyExpressionParsesAndUsesOnlyMetricsAndLabelsTurnoutRegisters() {
        Set<String> samples = new HashSet<>(Set.of("up"));
        TurnoutMetrics.ALL.forEach(d -> samples.addAll(d.prometheusSamples()));
        Set<String> used = new LinkedHashSet<>();
        SoftAssertions soft = new SoftAssertions();
        for (JsonNode rule : alerts()) {
            String alert = rule.get("alert").asText();
            PromQl.References refs;
            try {
                refs = PromQl.check(rule.get("expr").asText());
            } catch (PromQl.PromQlException e) {
                soft.fail("%s: %s", alert, e.getMessage());
                continue;
            }
            soft.assertThat(samples).as("metrics of %s are registered by Turnout", alert).containsAll(refs.metrics());
            Set<String> labels = labelsOf(refs.metrics());
            soft.assertThat(labels).as("labels %s uses exist on its metrics %s", alert, refs.metrics())
                .containsAll(refs.labels());
            for (String annotation : List.of("summary", "description")) {
                Matcher template = TEMPLATE.matcher(rule.path("annotations").path(annotation).asText());
                while (template.find()) {
                    Matcher body = TEMPLATE_BODY.matcher(template.group(1));
                    soft.assertThat(body.matches()).as("template {{%s}} in %s of %s", template.group(1), annotation, alert)
                        .isTrue();
                    if (body.matches() && body.group(2) != null) {
                        soft.assertThat(labels).as("label of {{%s}} in %s of %s", template.group(1), annotation, alert)
                            .contains(body.group(2));
                    }
                }
            }
            used.addAll(refs.metrics());
        }
        soft.assertAll();
        // The issue's alerts: pipeline down, apply lag, retained WAL, dead letters, old mismatches, journal growth.
        assertThat(used).contains("up", "turnout_part_up", "turnout_apply_lag",
            "turnout_capture_slot_retained_wal_bytes", "turnout_transform_dlq_total", "turnout_apply_dlq_total",
            "turnout_reconcile_oldest_unresolved_seconds", "turnout_publisher_secondary_pending");
    }

    @Test
    void theCheckerRejectsWhatPrometheusRejects() {
        for (String bad : List.of("rate(turnout_capture_events_total)", "sum by (table (turnout_apply_lag)",
            "turnout_apply_lag > ", "turnout_apply_lag{table=accounts}", "increase(turnout_apply_lag[5x])",
            "rat(turnout_apply_lag[5m])", "turnout_apply_lag and 1", "histogram_quantile(turnout_apply_lag)",
            "turnout_apply_lag{table=~\"(\"}", "sum(turnout_apply_lag) by (table) by (pipeline)", "1 > 0")) {
            assertThatThrownBy(() -> PromQl.check(bad)).as(bad).isInstanceOf(PromQl.PromQlException.class);
        }
        assertThat(PromQl.check("sum by (pipeline) (rate(turnout_capture_events_total{pipeline=\"shop\"}[5m])) > 0 "
            + "and on (pipeline) turnout_part_up == bool 1").metrics())
            .containsExactlyInAnyOrder("turnout_capture_events_total", "turnout_part_up");
    }

    @Test
    void everyAlertHasAReadmeRunbookEntryItsAnnotationLinksTo() {
        String readme = Repo.read("README.md");
        int start = readme.indexOf("\n### Alert runbook\n");
        assertThat(start).as("README has an \"Alert runbook\" section").isPositive();
        int end = readme.indexOf("\n## ", start);
        String runbook = readme.substring(start, end < 0 ? readme.length() : end);
        Set<String> entries = new LinkedHashSet<>();
        Matcher heading = Pattern.compile("\n#### (\\w+)\n").matcher(runbook);
        while (heading.find()) {
            entries.add(heading.group(1));
        }
        List<String> alerts = new ArrayList<>();
        SoftAssertions soft = new SoftAssertions();
        for (JsonNode rule : alerts()) {
            String alert = rule.get("alert").asText();
            alerts.add(alert);
            soft.assertThat(entries).as("runbook entry for %s", alert).contains(alert);
            soft.assertThat(rule.path("annotations").path("runbook_url").asText()).as("runbook_url of %s", alert)
                .isEqualTo("README.md#" + alert.toLowerCase(Locale.ROOT));
            String entry = entry(runbook, alert);
            soft.assertThat(entry).as("runbook entry of %s says what it means, what to check first and the fix", alert)
                .contains("**Means**", "**Check**", "**Fix**");
        }
        soft.assertThat(alerts).as("no runbook entry without an alert").containsAll(entries);
        soft.assertAll();
    }

    @Test
    void theChartRendersTheSameRulesFile() {
        assertThat(Repo.read(CHART_COPY))
            .as("%s must equal %s; after editing the rules run: cp %s %s", CHART_COPY, RULES, RULES, CHART_COPY)
            .isEqualTo(Repo.read(RULES));
    }

    static List<JsonNode> alerts() {
        List<JsonNode> result = new ArrayList<>();
        Repo.yaml(RULES).get("groups").forEach(g -> g.get("rules").forEach(result::add));
        return result;
    }

    private static Set<String> labelsOf(Set<String> metrics) {
        Set<String> labels = new HashSet<>(COMMON_LABELS);
        for (MetricDefinition d : TurnoutMetrics.ALL) {
            if (d.prometheusSamples().stream().anyMatch(metrics::contains)) {
                labels.addAll(d.tags());
                if (d.type() == MetricDefinition.Type.TIMER) {
                    labels.add("le");
                }
            }
        }
        return labels;
    }

    private static String entry(String runbook, String alert) {
        int at = runbook.indexOf("\n#### " + alert + "\n");
        if (at < 0) {
            return "";
        }
        int next = runbook.indexOf("\n#### ", at + 1);
        return runbook.substring(at, next < 0 ? runbook.length() : next);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
