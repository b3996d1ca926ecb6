package dev.turnout.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code turnout registry ...}: the embedded Confluent-compatible schema registry. */
@Command(name = "registry", description = "Run Turnout's embedded Confluent-compatible schema registry.",
    mixinStandardHelpOptions = true, subcommands = {RegistryServeCommand.class})
final class RegistryCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
