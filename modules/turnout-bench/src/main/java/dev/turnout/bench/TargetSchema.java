package dev.turnout.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.turnout.apply.SchemaPlan;
import dev.turnout.apply.TargetSchemaPlanner;
import dev.turnout.apply.TargetTableDefinition;
import dev.turnout.core.config.ConfigLoader;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TurnoutConfig;
import dev.turnout.transform.CatalogReader;
import dev.turnout.transform.Mappings;
import dev.turnout.transform.TableMapping;
import dev.turnout.transform.TargetColumnTypes;

/** Creates the target tables a pipeline config's mappings write, as {@code turnout schema apply --execute} does. */
final class TargetSchema {

    private TargetSchema() {
    }

    static void apply(Path configFile) throws SQLException {
        LoadedConfig loaded = ConfigLoader.load(configFile);
        TurnoutConfig config = loaded.config();
        Map<TableMapping, List<TargetColumnTypes.TypedColumn>> typed;
        try (Connection source = DriverManager.getConnection(config.source().url(), config.source().user(),
            config.source().password().reveal())) {
            CatalogReader catalog = new CatalogReader(source);
            typed = TargetColumnTypes.of(Mappings.compile(loaded, catalog), catalog);
        }
        List<TargetTableDefinition> tables = new ArrayList<>();
        typed.forEach((mapping, columns) -> tables.add(new TargetTableDefinition(mapping.target(),
            columns.stream().map(c -> new TargetTableDefinition.Column(c.name(), c.sqlType(), c.nullable())).toList(),
            mapping.key())));
        try (Connection target = DriverManager.getConnection(config.target().url(), config.target().user(),
            config.target().password().reveal())) {
            SchemaPlan plan = TargetSchemaPlanner.plan(target, tables);
            if (!plan.problems().isEmpty()) {
                throw new IllegalStateException("The target cannot hold the mappings' output: " + plan.problems());
            }
            TargetSchemaPlanner.execute(target, plan);
        }
    }
}
