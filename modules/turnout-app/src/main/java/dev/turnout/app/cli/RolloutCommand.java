package dev.turnout.app.cli;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import dev.turnout.core.TopicNames;
import dev.turnout.rollout.BasisPoints;
import dev.turnout.rollout.GateResult;
import dev.turnout.rollout.RolloutChange;
import dev.turnout.rollout.RolloutControl;
import dev.turnout.rollout.RolloutControl.Change;
import dev.turnout.rollout.RolloutGuard;
import dev.turnout.rollout.RolloutState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code turnout rollout status|set|advance|rollback|guard}: phased rollout of services, with gates. */
@Command(name = "rollout", mixinStandardHelpOptions = true,
    description = "Phased rollout of services to the new system: state, controls and gates.",
    subcommands = {RolloutCommand.Status.class, RolloutCommand.Set.class, RolloutCommand.Advance.class,
        RolloutCommand.Rollback.class, RolloutCommand.Guard.class})
final class RolloutCommand extends ParentCommand {

    /** {@code turnout rollout status [NAME] -c FILE}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
        description = "List the rollouts, or show one with its gates checked now.")
    static final class Status implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "NAME", description = "A rollout; all of them when omitted.")
        String name;

        @Mixin
        RolloutOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (RolloutOptions.Session session = options.open()) {
                RolloutControl control = session.control();
                if (name == null) {
                    list(out, control.all().values(), session);
                } else {
                    detail(out, control, control.get(name));
                }
                out.flush();
                return ExitCode.OK;
            }
        }

        private static void list(PrintWriter out, Collection<RolloutState> states, RolloutOptions.Session session) {
            if (states.isEmpty()) {
                out.println("No rollouts in " + TopicNames.rolloutState() + " on " + session.settings().bootstrap()
                    + ". Create one with: turnout rollout set NAME --percent P --reason TEXT");
                return;
            }
            Table table = new Table("ROLLOUT", "PERCENT", "ALLOW", "DENY", "HELD", "LAST CHANGE");
            for (RolloutState s : states) {
                table.row(s.name(), s.share(), s.allow().size(), s.deny().size(), s.hold().isPresent() ? "yes" : "no",
                    s.lastChange().map(RolloutCommand::describe).orElse("-"));
            }
            table.print(out);
        }

        private static void detail(PrintWriter out, RolloutControl control, RolloutState s) {
            out.println("Rollout " + s.name() + s.pipeline().map(p -> " (pipeline " + p + ")").orElse("") + ": "
                + s.share() + " of keys on NEW");
            out.println("Allow (always NEW): " + list(s.sortedAllow()));
            out.println("Deny (always OLD):  " + list(s.sortedDeny()));
            out.println("Last change: " + s.lastChange().map(RolloutCommand::describe).orElse("-"));
            out.println("Held: " + s.hold().orElse("no"));
            Optional<BasisPoints> next = control.nextStep(s.share());
            out.println("Next step: " + next.map(BasisPoints::toString).orElse("none (at or beyond the last step of the "
                + "ladder)"));
            out.println();
            List<GateResult> gates = control.checkGates(s);
            printGates(out, gates);
            List<String> failing = gates.stream().filter(GateResult::failed).map(GateResult::gate).toList();
            if (next.isPresent()) {
                out.println(failing.isEmpty() ? "advance would move it to " + next.get() + "."
                    : "advance would be refused: gate" + (failing.size() == 1 ? " " : "s ") + String.join(", ", failing)
                    + (failing.size() == 1 ? " fails." : " fail."));
            }
        }

        private static String list(List<String> keys) {
            return keys.isEmpty() ? "-" : String.join(", ", keys);
        }
    }

    /** {@code turnout rollout set NAME --percent P --reason TEXT}. */
    @Command(name = "set", mixinStandardHelpOptions = true,
        description = "Set a rollout's percentage and/or its allow and deny lists (creating it if new). Gates are not "
            + "checked: this is an explicit choice.")
    static final class Set implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "The rollout.")
        String name;

        @Option(names = "--percent", paramLabel = "P", description = "Share of keys on NEW: 0 to 100, at most two "
            + "decimals (25, 12.5, 0.01).")
        String percent;

        @Option(names = "--allow", paramLabel = "KEYS", split = ",",
            description = "Keys always routed to NEW, comma-separated; replaces the list ('' empties it).")
        List<String> allow;

        @Option(names = "--deny", paramLabel = "KEYS", split = ",",
            description = "Keys always routed to OLD (wins over allow), comma-separated; replaces the list ('' empties it).")
        List<String> deny;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why; recorded with the change.")
        String reason;

        @Option(names = "--by", paramLabel = "USER", description = "Who makes the change (default: the OS user name).")
        String by;

        @Mixin
        RolloutOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Optional<BasisPoints> share = Optional.ofNullable(percent).map(RolloutControl::parsePercent);
            try (RolloutOptions.Session session = options.open()) {
                Change change = session.control().set(name, share, keys(allow), keys(deny), reason,
                    RolloutOptions.who(by));
                printChange(spec.commandLine().getOut(), change);
                return ExitCode.OK;
            }
        }

        private static Optional<java.util.Set<String>> keys(List<String> given) {
            return Optional.ofNullable(given).map(l -> l.stream().map(String::strip).filter(k -> !k.isEmpty())
                .collect(Collectors.toSet()));
        }
    }

    /** {@code turnout rollout advance NAME}. */
    @Command(name = "advance", mixinStandardHelpOptions = true,
        description = "Move a rollout to the next step of the ladder if every gate passes; exit 1 naming the gates that "
            + "fail.")
    static final class Advance implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "The rollout.")
        String name;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (default: next step of the ladder).")
        String reason;

        @Option(names = "--by", paramLabel = "USER", description = "Who makes the change (default: the OS user name).")
        String by;

        @Mixin
        RolloutOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (RolloutOptions.Session session = options.open()) {
                Change change = session.control().advance(name, Optional.ofNullable(reason), RolloutOptions.who(by));
                PrintWriter out = spec.commandLine().getOut();
                printGates(out, change.gates());
                printChange(out, change);
                return ExitCode.OK;
            }
        }
    }

    /** {@code turnout rollout rollback NAME --reason TEXT}. */
    @Command(name = "rollback", mixinStandardHelpOptions = true,
        description = "Send every key of a rollout back to OLD at once (0%%); allow and deny lists stay.")
    static final class Rollback implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "The rollout.")
        String name;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why; recorded with the change.")
        String reason;

        @Option(names = "--by", paramLabel = "USER", description = "Who makes the change (default: the OS user name).")
        String by;

        @Mixin
        RolloutOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (RolloutOptions.Session session = options.open()) {
                printChange(spec.commandLine().getOut(), session.control().rollback(name, reason, RolloutOptions.who(by)));
                return ExitCode.OK;
            }
        }
    }

    /** {@code turnout rollout guard -c FILE}: the continuous gate checker, until Ctrl-C. */
    @Command(name = "guard", mixinStandardHelpOptions = true,
        description = "Check the gates of the pipeline's rollouts continuously; hold or roll back (rollout.onGateFailure) "
            + "a rollout whose gate fails for rollout.failFor. Runs until Ctrl-C.")
    static final class Guard implements Callable<Integer> {
        @Mixin
        RolloutOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            boolean interrupted = false;
            try (StopSignal stop = new StopSignal("turnout-rollout-guard");
                 RolloutOptions.Session session = options.open();
                 RolloutGuard guard = RolloutGuard.start(session.settings(), session.config().pipeline(),
                     session.config().rollout(), new SimpleMeterRegistry())) {
                spec.commandLine().getErr().println("Guarding the rollouts of pipeline " + session.config().pipeline()
                    + " (gates " + String.join(", ", guard.gateNames()) + "; "
                    + session.config().rollout().onGateFailure().value() + " after "
                    + session.config().rollout().failFor().toSeconds() + "s of failure); Ctrl-C stops.");
                // The guard works on its own threads; this one only waits for Ctrl-C or an interrupt.
                boolean stopped = false;
                while (!stopped) {
                    stopped = stop.awaitRequest(java.time.Duration.ofSeconds(1));
                }
                // Interrupted by the caller (tests, an embedding service): close the clients normally, then pass it on.
                interrupted = Thread.interrupted();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return ExitCode.OK;
        }
    }

    static void printGates(PrintWriter out, List<GateResult> gates) {
        Table table = new Table("GATE", "STATUS", "DETAIL");
        gates.forEach(g -> table.row(g.gate(), g.status().display(), g.detail()));
        table.print(out);
    }

    static void printChange(PrintWriter out, Change change) {
        RolloutState after = change.after();
        RolloutChange c = after.lastChange().orElseThrow();
        out.println("Rollout " + after.name() + (change.before().isEmpty() ? " created" : "") + ": " + c.from() + " → "
            + after.share() + " (" + c.action().name().toLowerCase(java.util.Locale.ROOT) + " by " + c.by() + ": "
            + c.reason() + ")");
        if (c.action() == RolloutChange.Action.SET) {
            out.println("Allow: " + (after.allow().isEmpty() ? "-" : String.join(", ", after.sortedAllow()))
                + "; deny: " + (after.deny().isEmpty() ? "-" : String.join(", ", after.sortedDeny())));
        }
        out.flush();
    }

    static String describe(RolloutChange c) {
        return c.action() + " from " + c.from() + " by " + c.by() + " at " + c.at() + ": " + c.reason();
    }
}
