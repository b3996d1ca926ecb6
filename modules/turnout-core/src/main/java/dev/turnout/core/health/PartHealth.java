package dev.turnout.core.health;

/**
 * What a running part tells {@link Parts} about itself.
 *
 * <p>Called from HTTP request threads and from metric scrapes, at any time, concurrently: implementations must be
 * thread-safe, must not block and should be cheap (read a volatile field or two).
 */
@FunctionalInterface
public interface PartHealth {

    /** The part's state now. */
    PartStatus partStatus();
}
