package dev.turnout.app.cli;

import java.util.concurrent.Callable;

import dev.turnout.core.config.LoadedConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code turnout config check -c FILE}: validates the file and prints the effective config (defaults filled in,
 * {@code ${VAR}} expanded, secrets masked). Exits 0 when valid, 2 with one located line per problem otherwise.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Validate a config file and print the effective config with secrets masked.")
final class ConfigCheckCommand implements Callable<Integer> {

    @Mixin
    ConfigFileOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        LoadedConfig loaded = config.load();
        spec.commandLine().getOut().print(loaded.effectiveYaml());
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().println(loaded.file() + ": valid");
        return ExitCode.OK;
    }
}
