package dev.turnout.cutover;

/** Where a {@link DualPublisher} sends records. Switchable at run time with {@link DualPublisher#mode(PublishMode)}. */
public enum PublishMode {
    /** Primary only, as a plain producer would; records carry no {@code turnout.id}. */
    PRIMARY_ONLY,
    /** Primary, then the secondary through the durable journal; both copies carry the same {@code turnout.id}. */
    DUAL,
    /** Secondary only (after the cutover), still in journal order behind anything not yet shipped. */
    SECONDARY_ONLY
}
