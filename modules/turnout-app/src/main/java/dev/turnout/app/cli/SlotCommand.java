package dev.turnout.app.cli;

import java.util.Optional;
import java.util.concurrent.Callable;

import dev.turnout.capture.SlotInspector;
import dev.turnout.core.TopicNames;
import dev.turnout.core.config.TurnoutConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code turnout slot status|drop}: care of the pipeline's replication slot. */
@Command(name = "slot", mixinStandardHelpOptions = true, description = "Inspect or drop the pipeline's replication slot.",
    subcommands = {SlotCommand.Status.class, SlotCommand.Drop.class})
final class SlotCommand extends ParentCommand {

    static SlotInspector inspector(TurnoutConfig cfg) {
        return new SlotInspector(cfg.source().url(), cfg.source().user(), cfg.source().password().reveal());
    }

    /** {@code turnout slot status -c FILE}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the slot: active, WAL status, retained WAL, confirmed LSN. Exits 3 if it does not exist.")
    static final class Status implements Callable<Integer> {
        @Mixin
        ConfigFileOption config;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            TurnoutConfig cfg = config.load().config();
            String name = TopicNames.slot(cfg.pipeline());
            Optional<SlotInspector.SlotState> slot = inspector(cfg).slot(name);
            if (slot.isEmpty()) {
                spec.commandLine().getErr().println("Replication slot '" + name + "' does not exist on "
                    + cfg.source().url());
                return ExitCode.RUNTIME;
            }
            SlotInspector.SlotState s = slot.get();
            spec.commandLine().getOut().printf("%-24s %-7s %-11s %-14s %s%n", "SLOT", "ACTIVE", "WAL_STATUS",
                "RETAINED_WAL", "CONFIRMED_LSN");
            spec.commandLine().getOut().printf("%-24s %-7s %-11s %-14s %s%n", s.name(), s.active(), s.walStatus(),
                s.retainedWalBytes() + " B", s.confirmedFlushLsn());
            return s.lost() ? ExitCode.RUNTIME : ExitCode.OK;
        }
    }

    /** {@code turnout slot drop -c FILE [--execute]}. */
    @Command(name = "drop", mixinStandardHelpOptions = true,
        description = "Drop the slot (dry run unless --execute). WAL it held is released; capture must re-snapshot.")
    static final class Drop implements Callable<Integer> {
        @Mixin
        ConfigFileOption config;

        @Option(names = "--execute", description = "Really drop it.")
        boolean execute;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            TurnoutConfig cfg = config.load().config();
            String name = TopicNames.slot(cfg.pipeline());
            SlotInspector slots = inspector(cfg);
            Optional<SlotInspector.SlotState> slot = slots.slot(name);
            if (slot.isEmpty()) {
                spec.commandLine().getErr().println("Replication slot '" + name + "' does not exist; nothing to drop");
                return ExitCode.OK;
            }
            if (slot.get().active()) {
                spec.commandLine().getErr().println("Replication slot '" + name + "' is active: stop capture first");
                return ExitCode.RUNTIME;
            }
            if (!execute) {
                spec.commandLine().getOut().println("Would drop replication slot '" + name + "' (retains "
                    + slot.get().retainedWalBytes() + " B of WAL). Run again with --execute to drop it.");
                return ExitCode.OK;
            }
            slots.drop(name);
            spec.commandLine().getOut().println("Dropped replication slot '" + name + "'");
            return ExitCode.OK;
        }
    }
}
