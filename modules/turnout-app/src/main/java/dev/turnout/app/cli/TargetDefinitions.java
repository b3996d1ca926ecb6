package dev.turnout.app.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.turnout.apply.TargetTableDefinition;
import dev.turnout.core.config.TableId;
import dev.turnout.transform.TableMapping;
import dev.turnout.transform.TargetColumnTypes;

/**
 * The target tables a pipeline's mappings write, as the applier's schema planner reads them: transform says each
 * column's type, apply plans the DDL, and this joins the two (capability modules do not import each other). Stateless.
 */
final class TargetDefinitions {

    private TargetDefinitions() {
    }

    /** One definition per target table; when several source tables map into one, their columns are merged. */
    static List<TargetTableDefinition> of(Map<TableMapping, List<TargetColumnTypes.TypedColumn>> typed) {
        Map<TableId, Map<String, TargetTableDefinition.Column>> columns = new LinkedHashMap<>();
        Map<TableId, List<String>> keys = new LinkedHashMap<>();
        typed.forEach((mapping, cols) -> {
            Map<String, TargetTableDefinition.Column> table = columns.computeIfAbsent(mapping.target(),
                t -> new LinkedHashMap<>());
            keys.putIfAbsent(mapping.target(), mapping.key());
            for (TargetColumnTypes.TypedColumn c : cols) {
                table.putIfAbsent(c.name(), new TargetTableDefinition.Column(c.name(), c.sqlType(), c.nullable()));
            }
        });
        List<TargetTableDefinition> out = new ArrayList<>();
        columns.forEach((table, cols) -> out.add(new TargetTableDefinition(table, List.copyOf(cols.values()),
            keys.get(table))));
        return out;
    }
}
