package dev.turnout.app.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.turnout.apply.SchemaPlan;
import dev.turnout.apply.TargetSchemaPlanner;
import dev.turnout.apply.TargetTableDefinition;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TurnoutConfig;
import dev.turnout.transform.CatalogReader;
import dev.turnout.transform.Mappings;
import dev.turnout.transform.TableMapping;
import dev.turnout.transform.TargetColumnTypes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code turnout schema apply -c FILE [--execute]}: compiles the mappings against the source catalog, works out each
 * target column's type, and plans the DDL that makes the target ready for the applier (missing tables, the guard
 * column, Turnout's offsets and tombstones tables). A dry run prints the DDL; {@code --execute} runs it in one
 * transaction. Existing tables that cannot hold the mappings' output are reported, one line each, and nothing runs:
 * exit 1.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = "Create the target tables the mappings write (and the guard column, turnout_offsets, "
        + "turnout_tombstones). Dry run unless --execute; exits 1 if existing tables cannot hold the mappings' output.")
final class SchemaApplyCommand implements Callable<Integer> {

    @Mixin
    ConfigFileOption config;

    @Mixin
    ExecuteOption execute;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws SQLException {
        LoadedConfig loaded = config.load();
        TurnoutConfig cfg = loaded.config();
        List<TargetTableDefinition> tables = targetTables(loaded);
        PrintWriter out = spec.commandLine().getOut();
        try (Connection target = DatabaseConnections.open("target", cfg.target().url(), cfg.target().user(),
            cfg.target().password())) {
            SchemaPlan plan = TargetSchemaPlanner.plan(target, tables);
            if (plan.nothingToDo()) {
                out.println("Nothing to do: the target at " + cfg.target().url() + " has every table the mappings "
                    + "write (" + tables.size() + "), each with the guard column, and Turnout's own tables.");
                return ExitCode.OK;
            }
            if (!plan.problems().isEmpty()) {
                out.println("These target tables cannot hold what the mappings write; nothing was changed:");
                plan.problems().forEach(p -> out.println("  " + p));
                if (!plan.steps().isEmpty()) {
                    out.println();
                    out.println("Once they are fixed, this DDL would run:");
                    printDdl(out, plan);
                }
                return ExitCode.DIFFERENCES;
            }
            if (!execute.execute()) {
                printDdl(out, plan);
                out.println("Dry run: " + plan.steps().size() + " statement(s), nothing changed on " + cfg.target().url()
                    + ". Run again with --execute to apply them in one transaction.");
                return ExitCode.OK;
            }
            TargetSchemaPlanner.execute(target, plan);
            plan.steps().forEach(step -> out.println("Done: " + step.description()));
            out.println("Applied " + plan.steps().size() + " statement(s) to " + cfg.target().url()
                + " in one transaction.");
            return ExitCode.OK;
        }
    }

    /**
     * The target tables the config's mappings write, typed from the mappings and the source catalog.
     *
     * @throws dev.turnout.core.config.ConfigException every mapping problem, located in the config file
     */
    static List<TargetTableDefinition> targetTables(LoadedConfig loaded) {
        TurnoutConfig cfg = loaded.config();
        Map<TableMapping, List<TargetColumnTypes.TypedColumn>> typed;
        try (Connection source = DatabaseConnections.open("source", cfg.source().url(), cfg.source().user(),
            cfg.source().password())) {
            CatalogReader catalog = new CatalogReader(source);
            typed = TargetColumnTypes.of(Mappings.compile(loaded, catalog), catalog);
        } catch (SQLException e) {
            throw new DatabaseConnections.UnreachableDatabaseException("Reading the source catalog at "
                + cfg.source().url() + " failed: " + e.getMessage(), e);
        }
        return TargetDefinitions.of(typed);
    }

    private static void printDdl(PrintWriter out, SchemaPlan plan) {
        for (SchemaPlan.Step step : plan.steps()) {
            out.println("-- " + step.description());
            out.println(step.sql() + ";");
            out.println();
        }
    }
}
