package dev.turnout.cutover.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import dev.turnout.cutover.SourceRef;
import dev.turnout.cutover.TurnoutHeaders;

/**
 * The content fingerprint of a record: SHA-256 over its key, its value (Confluent-framed values by schema content, see
 * {@link ValueNormalizer}), its headers in order except {@code turnout.src}, and its timestamp. Each part is
 * length-prefixed so that no two different records share an encoding. Thread-safe.
 */
public final class Fingerprinter implements AutoCloseable {

    private final ValueNormalizer normalizer;

    public Fingerprinter(ValueNormalizer normalizer) {
        this.normalizer = normalizer;
    }

    /** Fingerprints of raw bytes, without schema-registry normalisation. */
    public static Fingerprinter raw() {
        return new Fingerprinter(ValueNormalizer.IDENTITY);
    }

    public LogRecord summarize(ConsumerRecord<byte[], byte[]> record) {
        String id = null;
        SourceRef src = null;
        Header idHeader = record.headers().lastHeader(TurnoutHeaders.ID);
        if (idHeader != null && idHeader.value() != null) {
            id = new String(idHeader.value(), StandardCharsets.UTF_8);
        }
        Header srcHeader = record.headers().lastHeader(TurnoutHeaders.SRC);
        if (srcHeader != null) {
            src = SourceRef.parse(srcHeader.value()).orElse(null);
        }
        return new LogRecord(record.offset(), record.timestamp(), fingerprint(record), id, src);
    }

    public String fingerprint(ConsumerRecord<byte[], byte[]> record) {
        MessageDigest sha = sha256();
        part(sha, record.key());
        part(sha, record.value() == null ? null : normalizer.normalize(record.value()));
        for (Header h : record.headers()) {
            if (!TurnoutHeaders.SRC.equals(h.key())) {
                part(sha, h.key().getBytes(StandardCharsets.UTF_8));
                part(sha, h.value());
            }
        }
        sha.update(ByteBuffer.allocate(Long.BYTES).putLong(record.timestamp()).array());
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void part(MessageDigest sha, byte[] bytes) {
        if (bytes == null) {
            sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(-1).array());
        } else {
            sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
            sha.update(bytes);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /** Releases the schema registry client behind the normalizer, if any. */
    @Override
    public void close() {
        normalizer.close();
    }

    /** The id header as text, if present. */
    static Optional<String> header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null || h.value() == null ? Optional.empty() : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }
}
