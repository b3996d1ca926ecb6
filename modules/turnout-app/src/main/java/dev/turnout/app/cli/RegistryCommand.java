package dev.turnout.app.cli;

import picocli.CommandLine.Command;

/** {@code turnout registry ...}: the embedded Confluent-compatible schema registry. */
@Command(name = "registry", description = "Run Turnout's embedded Confluent-compatible schema registry.",
    mixinStandardHelpOptions = true, subcommands = {RegistryServeCommand.class})
final class RegistryCommand extends ParentCommand {

}
