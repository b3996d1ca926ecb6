package dev.turnout.capture.internal;

/** Engine properties that tell Turnout's offset store where the capture-offsets topic is. */
public final class TopicOffsetProperties {

    public static final String TOPIC = "turnout.offsets.topic";
    public static final String BOOTSTRAP = "turnout.offsets.bootstrap";
    /** Kafka client properties for the offset store, e.g. {@code turnout.offsets.client.security.protocol}. */
    public static final String CLIENT_PREFIX = "turnout.offsets.client.";

    private TopicOffsetProperties() {
    }
}
