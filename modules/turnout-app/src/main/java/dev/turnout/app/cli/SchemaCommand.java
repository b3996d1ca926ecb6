package dev.turnout.app.cli;

import picocli.CommandLine.Command;

/** {@code turnout schema}: the target tables the mappings write. */
@Command(name = "schema", mixinStandardHelpOptions = true,
    description = "Compare the target tables with what the mappings write.",
    subcommands = {SchemaDiffCommand.class})
final class SchemaCommand extends ParentCommand {
}
