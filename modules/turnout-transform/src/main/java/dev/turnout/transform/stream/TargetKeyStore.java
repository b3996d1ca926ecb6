package dev.turnout.transform.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Optional;

import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.turnout.schemas.apply.ApplyKey;

/**
 * Source key → the target key its row was last emitted under, for the tables whose target key an update can change or
 * whose {@code where} can drop a row ({@link SourceTable#tracked()}). A key is present exactly while its row is in the
 * target. Backed by a persistent store whose changelog is written in the same Streams transaction as the apply
 * records, so after a crash it agrees with what the apply topics hold. Confined to its task's thread.
 */
final class TargetKeyStore {

    static final String NAME = "target-keys";

    private static boolean trusted;

    private final KeyValueStore<Bytes, byte[]> store;

    TargetKeyStore(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
        trustApplyClasses();
    }

    /**
     * Avro 1.12 instantiates only the generated classes it was told to trust, process-wide, and decoding a stored
     * {@link ApplyKey} instantiates its classes. Trusted: the package of Turnout's apply-topic types alone, which hold
     * data and nothing else. Additive, as {@code specific.avro.trusted.packages} is.
     */
    private static synchronized void trustApplyClasses() {
        if (!trusted) {
            String applyTypes = ApplyKey.class.getPackageName();
            ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(),
                cls -> cls.getPackageName().equals(applyTypes)));
            trusted = true;
        }
    }

    Optional<ApplyKey> get(Bytes sourceKey) {
        byte[] stored = store.get(sourceKey);
        if (stored == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ApplyKey.fromByteBuffer(ByteBuffer.wrap(stored)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the target key stored in state store " + NAME, e);
        }
    }

    void put(Bytes sourceKey, ApplyKey targetKey) {
        try {
            ByteBuffer encoded = targetKey.toByteBuffer();
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            store.put(sourceKey, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode a target key for state store " + NAME, e);
        }
    }

    void remove(Bytes sourceKey) {
        store.delete(sourceKey);
    }
}
