package dev.turnout.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;

import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TurnoutConfig;
import dev.turnout.reconcile.schema.SchemaDiff;
import dev.turnout.reconcile.schema.SchemaDiffReport;
import dev.turnout.transform.Mappings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code turnout schema diff -c FILE [--report FILE]}: compares the source and target catalogs through the mappings
 * ({@link SchemaDiff}) and prints one line per difference; exits 1 when the target cannot hold what the mappings write.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
    description = "Compare source and target catalogs through the mappings (tables and columns missing or new, types, "
        + "nullability, defaults, upsert keys); exit 1 if the target cannot hold what the mappings write.")
final class SchemaDiffCommand implements Callable<Integer> {

    @Mixin
    ConfigFileOption config;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the report as JSON to FILE.")
    Path report;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws SQLException {
        LoadedConfig loaded = config.load();
        TurnoutConfig cfg = loaded.config();
        Mappings mappings = PipelineParts.mappings(loaded);
        SchemaDiffReport result;
        try (Connection source = DatabaseConnections.open("source", cfg.source().url(), cfg.source().user(),
            cfg.source().password());
             Connection target = DatabaseConnections.open("target", cfg.target().url(), cfg.target().user(),
                 cfg.target().password())) {
            result = SchemaDiff.compare(mappings, source, target);
        }
        PrintWriter out = spec.commandLine().getOut();
        Table table = new Table("TABLE", "COLUMN", "SEVERITY", "KIND", "SOURCE", "TARGET", "DETAIL");
        for (SchemaDiffReport.Table t : result.tables()) {
            for (SchemaDiffReport.Finding f : t.findings()) {
                table.row(t.target(), f.column(), f.severity(), f.kind(), f.source(), f.target(), f.detail());
            }
        }
        result.newTables().forEach(t -> table.row(t, null, "INFO", "TABLE_NEW", null, null, "no mapping writes it"));
        if (table.isEmpty()) {
            out.println("The target tables match what the mappings write (" + result.tables().size() + " table(s)).");
        } else {
            table.print(out);
        }
        if (report != null) {
            JsonReports.write(report, result);
            out.println("Report written to " + report + ".");
        }
        if (!result.targetHoldsMappings()) {
            out.println("The target cannot hold what the mappings write (see ERROR above).");
            return ExitCode.DIFFERENCES;
        }
        return ExitCode.OK;
    }
}
