package dev.turnout.app.cli;

import picocli.CommandLine.Command;

/** {@code turnout config ...}: work with config files. */
@Command(name = "config", description = "Validate and show Turnout config files.",
    mixinStandardHelpOptions = true, subcommands = {ConfigCheckCommand.class})
final class ConfigCommand extends ParentCommand {

}
