package dev.turnout.app.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.turnout.apply.TargetTableDefinition;
import dev.turnout.transform.TableMapping;
import dev.turnout.transform.TargetColumnTypes;

/**
 * The target tables a pipeline's mappings write, as the applier's schema planner reads them: transform says each
 * column's type, apply plans the DDL, and this joins the two (capability modules do not import each other). The config
 * already refuses two mappings into one table, so each mapping is one table. Stateless.
 */
final class TargetDefinitions {

    private TargetDefinitions() {
    }

    static List<TargetTableDefinition> of(Map<TableMapping, List<TargetColumnTypes.TypedColumn>> typed) {
        List<TargetTableDefinition> out = new ArrayList<>();
        typed.forEach((mapping, columns) -> out.add(new TargetTableDefinition(mapping.target(),
            columns.stream().map(c -> new TargetTableDefinition.Column(c.name(), c.sqlType(), c.nullable())).toList(),
            mapping.key())));
        return out;
    }
}
