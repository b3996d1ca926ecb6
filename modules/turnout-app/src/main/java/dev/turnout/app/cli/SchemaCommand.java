package dev.turnout.app.cli;

import picocli.CommandLine.Command;

/** {@code turnout schema}: the target tables the mappings write. */
@Command(name = "schema", mixinStandardHelpOptions = true,
    description = "Create, check or compare the target tables the mappings write.",
    subcommands = {SchemaApplyCommand.class, SchemaDiffCommand.class})
final class SchemaCommand extends ParentCommand {
}
