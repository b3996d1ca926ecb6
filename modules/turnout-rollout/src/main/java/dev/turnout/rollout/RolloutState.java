package dev.turnout.rollout;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One phased rollout as stored in {@code turnout.rollout.state}: the share of keys routed to NEW, the keys always routed
 * to NEW (allow) or OLD (deny), the last change, a hold set by the guard, and the guard's last gate verdicts. Immutable.
 *
 * @param name       the rollout's name (letters, digits, {@code . _ -}); the record key
 * @param pipeline   the pipeline whose gates guard it, if one was named
 * @param share      the share of keys routed to NEW
 * @param allow      keys always routed to NEW (unless denied)
 * @param deny       keys always routed to OLD
 * @param lastChange who changed it last, when and why; empty for a rollout never changed
 * @param hold       why the guard holds it; empty when not held
 * @param gates      the guard's last verdict per gate
 */
public record RolloutState(String name, Optional<String> pipeline, BasisPoints share, Set<String> allow, Set<String> deny,
                           Optional<RolloutChange> lastChange, Optional<String> hold, List<GateVerdict> gates) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    public RolloutState {
        requireValidName(name);
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(share, "share");
        allow = Set.copyOf(allow);
        deny = Set.copyOf(deny);
        Objects.requireNonNull(lastChange, "lastChange");
        Objects.requireNonNull(hold, "hold");
        gates = List.copyOf(gates);
    }

    /** A rollout at 0 % with empty lists, never changed. */
    public static RolloutState initial(String name, Optional<String> pipeline) {
        return new RolloutState(name, pipeline, BasisPoints.NONE, Set.of(), Set.of(), Optional.empty(), Optional.empty(),
            List.of());
    }

    /**
     * Throws {@link IllegalArgumentException} unless {@code name} is a valid rollout name: 1 to 100 letters, digits,
     * {@code .}, {@code _} or {@code -}, starting with a letter or digit.
     */
    public static String requireValidName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a rollout name is 1 to 100 letters, digits, '.', '_' or '-', starting "
                + "with a letter or digit; got '" + name + "'");
        }
        return name;
    }

    /**
     * Where this rollout sends {@code key}: OLD when denied, NEW when allowed, else NEW exactly when the key's
     * {@linkplain Buckets#bucket bucket} is below the share.
     */
    public Route route(String key) {
        if (deny.contains(key)) {
            return Route.OLD;
        }
        if (allow.contains(key)) {
            return Route.NEW;
        }
        return Buckets.bucket(name, key) < share.value() ? Route.NEW : Route.OLD;
    }

    public RolloutState withShare(BasisPoints newShare) {
        return new RolloutState(name, pipeline, newShare, allow, deny, lastChange, hold, gates);
    }

    public RolloutState withLists(Set<String> newAllow, Set<String> newDeny) {
        return new RolloutState(name, pipeline, share, newAllow, newDeny, lastChange, hold, gates);
    }

    public RolloutState withPipeline(Optional<String> newPipeline) {
        return new RolloutState(name, newPipeline, share, allow, deny, lastChange, hold, gates);
    }

    public RolloutState withChange(RolloutChange change) {
        return new RolloutState(name, pipeline, share, allow, deny, Optional.of(change), hold, gates);
    }

    public RolloutState withHold(Optional<String> newHold) {
        return new RolloutState(name, pipeline, share, allow, deny, lastChange, newHold, gates);
    }

    public RolloutState withGates(List<GateVerdict> newGates) {
        return new RolloutState(name, pipeline, share, allow, deny, lastChange, hold, newGates);
    }

    /** The allow list in sorted order, for display. */
    public List<String> sortedAllow() {
        return allow.stream().sorted(Comparator.naturalOrder()).toList();
    }

    /** The deny list in sorted order, for display. */
    public List<String> sortedDeny() {
        return deny.stream().sorted(Comparator.naturalOrder()).toList();
    }
}
