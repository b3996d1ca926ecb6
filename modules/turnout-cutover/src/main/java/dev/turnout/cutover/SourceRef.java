package dev.turnout.cutover;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a copied record came from: the value of the {@link TurnoutHeaders#SRC turnout.src} header that
 * {@code turnout topics copy} adds, {@code <clusterId>:<topic>:<partition>:<offset>}. Topic names cannot contain
 * {@code ':'}, so the last three fields are always unambiguous.
 */
public record SourceRef(String clusterId, String topic, int partition, long offset) {

    public SourceRef {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(topic, "topic");
    }

    /** The header value. */
    public byte[] toHeader() {
        return (clusterId + ":" + topic + ":" + partition + ":" + offset).getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a header value; empty for a value that is not a source reference. */
    public static Optional<SourceRef> parse(byte[] header) {
        if (header == null) {
            return Optional.empty();
        }
        String text = new String(header, StandardCharsets.UTF_8);
        int o = text.lastIndexOf(':');
        int p = o < 0 ? -1 : text.lastIndexOf(':', o - 1);
        int t = p < 0 ? -1 : text.lastIndexOf(':', p - 1);
        if (t <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SourceRef(text.substring(0, t), text.substring(t + 1, p),
                Integer.parseInt(text.substring(p + 1, o)), Long.parseLong(text.substring(o + 1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return clusterId + ":" + topic + ":" + partition + ":" + offset;
    }
}
