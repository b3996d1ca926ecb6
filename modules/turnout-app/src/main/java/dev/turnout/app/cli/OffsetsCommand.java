package dev.turnout.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code turnout offsets ...}: snapshot, translate, apply, verify, replay and export consumer-group offsets. */
@Command(name = "offsets", mixinStandardHelpOptions = true,
    description = "Snapshot, translate, apply, verify, replay and export consumer-group offsets.",
    subcommands = {OffsetsSnapshotCommand.class, OffsetsTranslateCommand.class, OffsetsApplyCommand.class,
        OffsetsVerifyCommand.class, OffsetsReplayCommand.class, OffsetsExportCommand.class})
final class OffsetsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
