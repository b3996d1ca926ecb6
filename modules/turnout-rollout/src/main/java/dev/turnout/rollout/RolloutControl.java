package dev.turnout.rollout;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.turnout.core.config.Suggestions;
import dev.turnout.core.config.TurnoutConfig.RolloutConfig;
import dev.turnout.rollout.RolloutException.Kind;
import dev.turnout.rollout.internal.KafkaSession;
import dev.turnout.rollout.internal.StateTopic;

/**
 * The operator's controls over rollouts: read their state, set a share or the allow/deny lists, advance to the next step
 * of the ladder when every gate passes, roll back to 0 %. Each change is written to {@code turnout.rollout.state} with who
 * made it, when and why, and reaches every router within a second.
 *
 * <p>Each change reads the rollout's latest state from the topic and writes the new one (last writer wins: two operators
 * changing one rollout at the same instant are not merged). Not thread-safe; {@link #close()} closes the clients.
 */
public final class RolloutControl implements AutoCloseable {

    private final KafkaSession session;
    private final StateTopic topic;
    private final RolloutGates gates;
    private final RolloutConfig config;
    private final String pipeline;
    private final Clock clock;

    private RolloutControl(RolloutSettings settings, String pipeline, RolloutConfig config, RolloutGates gates) {
        this.session = new KafkaSession(settings, "control");
        this.topic = new StateTopic(session);
        this.gates = gates;
        this.config = config;
        this.pipeline = pipeline;
        this.clock = Clock.systemUTC();
    }

    /** Controls for {@code pipeline}'s rollouts, with the standard gates; owns the gates and closes them. */
    public static RolloutControl connect(RolloutSettings settings, String pipeline, RolloutConfig config) {
        return new RolloutControl(settings, pipeline, config, RolloutGates.standard(settings, pipeline, config.gates()));
    }

    /** Controls with the caller's gates, which it closes with itself. */
    public static RolloutControl connect(RolloutSettings settings, String pipeline, RolloutConfig config,
                                         RolloutGates gates) {
        return new RolloutControl(settings, pipeline, config, gates);
    }

    /**
     * A change made.
     *
     * @param before the state before, empty when the change created the rollout
     * @param after  the state written
     * @param gates  the gates checked for it (advance only; empty otherwise)
     */
    public record Change(Optional<RolloutState> before, RolloutState after, List<GateResult> gates) {
    }

    /** Every rollout, by name. */
    public Map<String, RolloutState> all() {
        return topic.readAll();
    }

    /** The rollout named {@code name}; {@link Kind#INVALID_INPUT} naming the known ones when there is none. */
    public RolloutState get(String name) {
        Map<String, RolloutState> all = topic.readAll();
        RolloutState state = all.get(name);
        if (state == null) {
            throw new RolloutException(Kind.INVALID_INPUT, "No rollout named '" + name + "' in " + StateTopic.topic()
                + (all.isEmpty() ? " (it holds none; create one with 'turnout rollout set')"
                    : Suggestions.didYouMean(name, all.keySet())));
        }
        return state;
    }

    /** Checks every gate for {@code state} now. */
    public List<GateResult> checkGates(RolloutState state) {
        return gates.check(state);
    }

    /** The configured ladder. */
    public List<BasisPoints> ladder() {
        return config.ladder().stream().map(BasisPoints::ofPercent).toList();
    }

    /** The smallest ladder step above {@code current}; empty at or beyond the last step. */
    public Optional<BasisPoints> nextStep(BasisPoints current) {
        return ladder().stream().filter(step -> step.compareTo(current) > 0).findFirst();
    }

    /**
     * Sets the share and/or the lists of a rollout, creating it at 0 % with empty lists if it does not exist. Gates are not
     * checked: this is the operator's explicit choice.
     *
     * @param share a new share, or empty to keep it
     * @param allow a new allow list, or empty to keep it
     * @param deny  a new deny list, or empty to keep it
     */
    public Change set(String name, Optional<BasisPoints> share, Optional<Set<String>> allow, Optional<Set<String>> deny,
                      String reason, String by) {
        requireName(name);
        requireText(reason, "a reason");
        requireText(by, "who makes the change");
        if (share.isEmpty() && allow.isEmpty() && deny.isEmpty()) {
            throw new RolloutException(Kind.INVALID_INPUT, "Nothing to set for rollout " + name
                + ": give a percentage, an allow list or a deny list");
        }
        Optional<RolloutState> before = topic.read(name);
        RolloutState current = before.orElseGet(() -> RolloutState.initial(name, Optional.of(pipeline)));
        RolloutState after = current
            .withShare(share.orElse(current.share()))
            .withLists(allow.orElse(current.allow()), deny.orElse(current.deny()))
            .withPipeline(current.pipeline().or(() -> Optional.of(pipeline)))
            .withChange(new RolloutChange(RolloutChange.Action.SET, by, clock.instant(), reason, current.share()));
        topic.write(after);
        return new Change(before, after, List.of());
    }

    /**
     * Moves a rollout to the next step of the ladder if every gate passes (a gate that does not apply does not block).
     * {@link Kind#REFUSED} naming the failing gates, or saying the rollout is at the last step, otherwise. A hold is
     * released by a successful advance, since its gates pass again.
     *
     * @param reason why, or empty for "next step of the ladder"
     */
    public Change advance(String name, Optional<String> reason, String by) {
        requireText(by, "who makes the change");
        RolloutState current = get(name);
        BasisPoints next = nextStep(current.share()).orElseThrow(() -> new RolloutException(Kind.REFUSED,
            "Rollout " + name + " is at " + current.share() + ", at or beyond the last step of the ladder ("
                + ladder().stream().map(BasisPoints::toString).collect(Collectors.joining(", ")) + ")"));
        List<GateResult> results = gates.check(current);
        List<GateResult> failing = results.stream().filter(GateResult::failed).toList();
        if (!failing.isEmpty()) {
            throw new RolloutException(Kind.REFUSED, "Advance refused: rollout " + name + " stays at " + current.share()
                + ": " + failing.stream().map(g -> "gate " + g.gate() + " fails: " + g.detail())
                .collect(Collectors.joining("; ")));
        }
        RolloutState after = current.withShare(next).withHold(Optional.empty())
            .withChange(new RolloutChange(RolloutChange.Action.ADVANCE, by, clock.instant(),
                reason.filter(r -> !r.isBlank()).orElse("next step of the ladder"), current.share()));
        topic.write(after);
        return new Change(Optional.of(current), after, results);
    }

    /** Sends every key of a rollout back to OLD at once (allow lists stay; deny lists stay). */
    public Change rollback(String name, String reason, String by) {
        requireText(reason, "a reason");
        requireText(by, "who makes the change");
        RolloutState current = get(name);
        RolloutState after = current.withShare(BasisPoints.NONE)
            .withChange(new RolloutChange(RolloutChange.Action.ROLLBACK, by, clock.instant(), reason, current.share()));
        topic.write(after);
        return new Change(Optional.of(current), after, List.of());
    }

    private static void requireName(String name) {
        try {
            RolloutState.requireValidName(name);
        } catch (IllegalArgumentException e) {
            throw new RolloutException(Kind.INVALID_INPUT, e.getMessage());
        }
    }

    private static void requireText(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new RolloutException(Kind.INVALID_INPUT, "Every rollout change needs " + what);
        }
    }

    /** Parses a percentage for the CLI: {@link Kind#INVALID_INPUT} with the reason when it is not one. */
    public static BasisPoints parsePercent(String text) {
        try {
            return BasisPoints.parse(text);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new RolloutException(Kind.INVALID_INPUT, "Invalid percentage '" + text + "': " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            gates.close();
        } finally {
            topic.close();
            session.close();
        }
    }

    @Override
    public String toString() {
        return "RolloutControl[" + pipeline + " on " + session.settings().bootstrap() + "]";
    }
}
