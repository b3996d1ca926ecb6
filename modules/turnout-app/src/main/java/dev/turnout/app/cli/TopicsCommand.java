package dev.turnout.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code turnout topics ...}: make the target cluster's topics like the source's, and copy their backlog. */
@Command(name = "topics", mixinStandardHelpOptions = true,
    description = "Create topics alike on the target cluster and copy the records already on the source.",
    subcommands = {TopicsSyncCommand.class, TopicsCopyCommand.class})
final class TopicsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
