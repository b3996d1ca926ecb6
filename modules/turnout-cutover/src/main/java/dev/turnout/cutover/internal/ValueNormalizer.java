package dev.turnout.cutover.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

import dev.turnout.core.avro.WireFormat;
import dev.turnout.core.registry.RestSchemaRegistryClient;
import dev.turnout.core.registry.SchemaRegistryClient;
import dev.turnout.core.registry.SchemaRegistryException;

/**
 * Makes Confluent-framed values comparable across clusters with different schema registries: the 4-byte registry id is
 * replaced by the SHA-256 of the schema's Parsing Canonical Form, so two registries that gave the same schema different
 * ids produce the same bytes, and a different schema produces different bytes.
 *
 * <p>A value that is not framed (no magic byte 0, shorter than the header) or whose id the registry does not know (404) is
 * left as it is; an unreachable registry is an error, never a silent fallback to bytes. Schemas are cached per id for
 * the normalizer's life (registry ids never change). Thread-safe.
 */
public interface ValueNormalizer extends AutoCloseable {

    /** No registry: values are compared as bytes. */
    ValueNormalizer IDENTITY = value -> value;

    byte[] normalize(byte[] value);

    /** Releases the registry client, if any. */
    @Override
    default void close() {
    }

    /** A normalizer using the registry configured by {@code schema.registry.*} properties, if any. */
    static ValueNormalizer forRegistry(Optional<Map<String, String>> registryProperties) {
        return registryProperties.<ValueNormalizer>map(props -> new Registry(new RestSchemaRegistryClient(props)))
            .orElse(IDENTITY);
    }

    /** A normalizer over an existing registry client. */
    static ValueNormalizer forClient(SchemaRegistryClient client) {
        return new Registry(client);
    }

    /** Normalizes through a registry client. */
    final class Registry implements ValueNormalizer {
        private static final byte[] UNKNOWN = new byte[0];
        private final SchemaRegistryClient client;
        private final Map<Integer, byte[]> schemaHashes = new ConcurrentHashMap<>();

        Registry(SchemaRegistryClient client) {
            this.client = client;
        }

        @Override
        public byte[] normalize(byte[] value) {
            if (value.length < WireFormat.HEADER_SIZE || value[0] != WireFormat.MAGIC) {
                return value;
            }
            int id = ByteBuffer.wrap(value, 1, 4).getInt();
            byte[] hash = schemaHashes.computeIfAbsent(id, this::schemaHash);
            if (hash == UNKNOWN) {
                return value;
            }
            // Marker byte 'S' keeps normalised values apart from raw values that happen to look alike.
            ByteBuffer out = ByteBuffer.allocate(1 + hash.length + value.length - WireFormat.HEADER_SIZE);
            out.put((byte) 'S').put(hash).put(value, WireFormat.HEADER_SIZE, value.length - WireFormat.HEADER_SIZE);
            return out.array();
        }

        @Override
        public void close() {
            client.close();
        }

        private byte[] schemaHash(int id) {
            Schema schema;
            try {
                schema = client.schemaById(id);
            } catch (SchemaRegistryException e) {
                if (e.status() == 404) {
                    // Not a registry id after all (raw bytes that start with 0): compare as bytes.
                    return UNKNOWN;
                }
                throw e;
            }
            MessageDigest sha = Fingerprinter.sha256();
            return sha.digest(SchemaNormalization.toParsingForm(schema).getBytes(StandardCharsets.UTF_8));
        }
    }
}
