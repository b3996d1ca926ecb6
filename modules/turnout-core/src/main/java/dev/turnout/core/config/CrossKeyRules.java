package dev.turnout.core.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.turnout.core.config.internal.KeyPath;
import dev.turnout.core.config.internal.LocatedYaml;

/**
 * Rules that span keys, checked on the normalised tree once every key is valid on its own. Each problem names the key
 * that must change and the one it conflicts with.
 */
final class CrossKeyRules {

    private final LocatedYaml doc;
    private final List<ConfigProblem> problems = new ArrayList<>();

    private CrossKeyRules(LocatedYaml doc) {
        this.doc = doc;
    }

    static List<ConfigProblem> check(LocatedYaml doc, JsonNode config) {
        CrossKeyRules rules = new CrossKeyRules(doc);
        rules.mappingsNameCapturedTables(config);
        rules.rolloutLadderIncreases(config.path("rollout"));
        return rules.problems;
    }

    private void mappingsNameCapturedTables(JsonNode config) {
        Set<String> tables = new LinkedHashSet<>();
        config.path("source").path("tables").forEach(t -> tables.add(t.textValue()));
        Map<String, Integer> fromSeen = new HashMap<>();
        Map<String, Integer> toSeen = new HashMap<>();
        JsonNode mappings = config.path("mappings");
        for (int i = 0; i < mappings.size(); i++) {
            JsonNode mapping = mappings.get(i);
            KeyPath at = KeyPath.ROOT.key("mappings").index(i);
            String from = mapping.path("from").textValue();
            String to = mapping.path("to").isTextual() ? mapping.path("to").textValue() : from;
            if (!tables.contains(from)) {
                problem(at.key("from"), "table " + from + " is not in source.tables"
                    + Suggestions.didYouMean(from, tables));
            }
            Integer earlier = fromSeen.putIfAbsent(from, i);
            if (earlier != null) {
                problem(at.key("from"), from + " is already mapped by mappings[" + earlier + "]; a source table has "
                    + "one mapping");
            }
            Integer earlierTo = toSeen.putIfAbsent(to, i);
            if (earlierTo != null) {
                problem(at.key(mapping.path("to").isTextual() ? "to" : "from"), "target table " + to
                    + " is already written by mappings[" + earlierTo + "]; two tables cannot map to one");
            }
            JsonNode columns = mapping.path("columns");
            JsonNode key = mapping.path("key");
            if (!columns.isEmpty()) {
                List<String> names = new ArrayList<>();
                columns.fieldNames().forEachRemaining(names::add);
                for (int k = 0; k < key.size(); k++) {
                    String column = key.get(k).textValue();
                    if (!columns.has(column)) {
                        problem(at.key("key").index(k), "key column '" + column + "' is not among mappings[" + i
                            + "].columns" + Suggestions.didYouMean(column, names));
                    }
                }
            }
        }
    }

    private void rolloutLadderIncreases(JsonNode rollout) {
        JsonNode ladder = rollout.path("ladder");
        KeyPath at = KeyPath.ROOT.key("rollout").key("ladder");
        for (int i = 0; i < ladder.size(); i++) {
            BigDecimal step = ladder.get(i).decimalValue();
            if (step.signum() == 0) {
                problem(at.index(i), "a ladder step must be above 0%; rollback goes to 0%");
            } else if (i > 0 && step.compareTo(ladder.get(i - 1).decimalValue()) <= 0) {
                problem(at.index(i), "ladder steps must increase, but " + step.toPlainString() + " follows "
                    + ladder.get(i - 1).decimalValue().toPlainString());
            }
        }
        JsonNode interval = rollout.path("checkInterval");
        if (interval.isTextual() && Duration.parse(interval.textValue()).isZero()) {
            problem(KeyPath.ROOT.key("rollout").key("checkInterval"), "the guard's check interval must be above 0s");
        }
    }

    private void problem(KeyPath path, String message) {
        LocatedYaml.Mark m = doc.valueMark(path.pointer());
        problems.add(new ConfigProblem(doc.file(), m.line(), m.column(), path.display(), message));
    }
}
