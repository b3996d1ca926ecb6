package dev.turnout.core.registry.embedded;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.turnout.core.registry.CompatibilityLevel;

/**
 * The JSON records of the registry topic: keys and values, encoded and decoded.
 *
 * <p>Stateless and thread-safe. Keys are written with a fixed field order so that the same logical key is always the
 * same bytes, which is what log compaction compares. Decoding accepts any field order.
 *
 * <p>A schema key names one (subject, version, id) and, beyond the Confluent layout, the SHA-256 of the schema's
 * canonical text. Two instances racing for the same next version and the same next id with <em>different</em> schemas
 * would otherwise write the same key: the loser's record would then outlive the winner's in compaction and the loser's
 * clean-up tombstone would erase the winner's. With the fingerprint, a key only ever carries one schema.
 */
final class StoreRecords {

    static final ObjectMapper JSON = new ObjectMapper();

    private static final String KEYTYPE = "keytype";
    private static final String SCHEMA = "SCHEMA";
    private static final String CONFIG = "CONFIG";

    private StoreRecords() {
    }

    /** A decoded key; other key types (Confluent's NOOP, MODE, ...) decode to empty and are skipped. */
    sealed interface Key permits SchemaKey, ConfigKey {
    }

    /** Identifies one version of one subject, its id and the schema it carries. */
    record SchemaKey(String subject, int version, int id, String fingerprint) implements Key {
        String encode() {
            ObjectNode node = JSON.createObjectNode();
            node.put(KEYTYPE, SCHEMA);
            node.put("subject", subject);
            node.put("version", version);
            node.put("id", id);
            node.put("fingerprint", fingerprint);
            return write(node);
        }
    }

    /** A subject's compatibility level, or the global one when {@code subject} is null. */
    record ConfigKey(String subject) implements Key {
        String encode() {
            ObjectNode node = JSON.createObjectNode();
            node.put(KEYTYPE, CONFIG);
            if (subject == null) {
                node.putNull("subject");
            } else {
                node.put("subject", subject);
            }
            return write(node);
        }
    }

    /** A registered (or soft-deleted) version; {@code schema} is the canonical text. */
    record SchemaValue(String subject, int version, int id, String schema, boolean deleted) {
        String encode() {
            ObjectNode node = JSON.createObjectNode();
            node.put("subject", subject);
            node.put("version", version);
            node.put("id", id);
            node.put("schema", schema);
            node.put("deleted", deleted);
            return write(node);
        }

        SchemaKey key() {
            return new SchemaKey(subject, version, id, fingerprint(schema));
        }
    }

    /** A compatibility level setting. */
    record ConfigValue(CompatibilityLevel level) {
        String encode() {
            ObjectNode node = JSON.createObjectNode();
            node.put("compatibilityLevel", level.name());
            return write(node);
        }
    }

    /** Hex SHA-256 of a schema's canonical text. */
    static String fingerprint(String canonical) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM provides SHA-256", e);
        }
    }

    /** Decodes a key; empty for key types this registry does not use. */
    static Optional<Key> decodeKey(String json) {
        JsonNode node = read(json, "key");
        String type = node.path(KEYTYPE).asText("");
        if (type.equals(SCHEMA)) {
            return Optional.of(new SchemaKey(text(node, "subject"), integer(node, "version"), integer(node, "id"),
                node.path("fingerprint").asText("")));
        }
        if (type.equals(CONFIG)) {
            JsonNode subject = node.get("subject");
            return Optional.of(new ConfigKey(subject == null || subject.isNull() ? null : subject.asText()));
        }
        return Optional.empty();
    }

    static SchemaValue decodeSchemaValue(String json) {
        JsonNode node = read(json, "schema value");
        return new SchemaValue(text(node, "subject"), integer(node, "version"), integer(node, "id"),
            text(node, "schema"), node.path("deleted").asBoolean(false));
    }

    static ConfigValue decodeConfigValue(String json) {
        JsonNode node = read(json, "config value");
        String level = text(node, "compatibilityLevel");
        return new ConfigValue(CompatibilityLevel.parse(level)
            .orElseThrow(() -> new IllegalArgumentException("unknown compatibility level '" + level + "'")));
    }

    private static JsonNode read(String json, String what) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(what + " is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("missing text field '" + field + "'");
        }
        return value.asText();
    }

    private static int integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException("missing integer field '" + field + "'");
        }
        return value.asInt();
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode " + node, e);
        }
    }
}
