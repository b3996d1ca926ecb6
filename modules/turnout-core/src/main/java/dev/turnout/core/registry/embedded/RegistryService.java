package dev.turnout.core.registry.embedded;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.avro.Schema;

import dev.turnout.core.registry.AvroCompatibility;
import dev.turnout.core.registry.CompatibilityLevel;
import dev.turnout.core.registry.embedded.RegistryState.SubjectVersion;

/**
 * The Confluent Schema Registry operations, with its validation order and error codes, over the state and the store.
 *
 * <p>Threads: called concurrently by HTTP threads; holds no state of its own. Reads answer from the state as the reader
 * has applied it so far, so a read on one instance may briefly lag a write made through another; the one exception is an
 * unknown schema id, which first catches up with the topic, because a deserializer asking for an id it just saw in a
 * message must not be told it does not exist. Writes go through the {@link SchemaStore}.
 */
final class RegistryService {

    private static final int LATEST = -1;

    private final RegistryState state;
    private final SchemaStore store;

    RegistryService(RegistryState state, SchemaStore store) {
        this.state = state;
        this.store = store;
    }

    List<String> subjects() {
        return state.liveSubjects();
    }

    List<Integer> versions(String subject) {
        List<Integer> versions = state.liveVersions(subject);
        if (versions.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return versions;
    }

    int register(String subject, String schemaText, String schemaType) {
        return store.register(subject, parse(schemaText, schemaType));
    }

    SubjectVersion version(String subject, String versionText) {
        return liveVersion(subject, parseVersion(versionText));
    }

    SubjectVersion lookup(String subject, String schemaText, String schemaType) {
        Schema schema = parse(schemaText, schemaType);
        if (state.liveVersions(subject).isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return state.liveVersionOf(subject, schema.toString()).orElseThrow(() ->
            RegistryException.schemaNotFound("Schema not found under subject '" + subject + "'."));
    }

    List<Integer> deleteSubject(String subject) {
        return store.deleteSubject(subject);
    }

    int deleteVersion(String subject, String versionText) {
        int version = parseVersion(versionText);
        return store.deleteVersion(subject, version == LATEST ? liveVersion(subject, LATEST).version() : version);
    }

    String schemaById(String idText) {
        int id;
        try {
            id = Integer.parseInt(idText);
        } catch (NumberFormatException e) {
            throw RegistryException.schemaNotFound("Schema " + idText + " not found");
        }
        Optional<String> schema = state.schema(id);
        if (schema.isEmpty()) {
            store.catchUp();
            schema = state.schema(id);
        }
        return schema.orElseThrow(() -> RegistryException.schemaNotFound("Schema " + id + " not found"));
    }

    CompatibilityLevel globalLevel() {
        return state.globalLevel();
    }

    CompatibilityLevel subjectLevel(String subject, boolean defaultToGlobal) {
        Optional<CompatibilityLevel> level = state.subjectLevel(subject);
        if (level.isPresent()) {
            return level.get();
        }
        if (defaultToGlobal) {
            return state.globalLevel();
        }
        throw RegistryException.subjectLevelNotConfigured(subject);
    }

    /** Sets the level of a subject, or the global one when {@code subject} is null. */
    CompatibilityLevel setLevel(String subject, String levelText) {
        CompatibilityLevel level = CompatibilityLevel.parse(levelText)
            .orElseThrow(() -> RegistryException.invalidCompatibilityLevel(levelText));
        store.setLevel(subject, level);
        return level;
    }

    /** Why the schema may not follow that one version under the subject's level; empty when it may. */
    List<String> checkCompatibility(String subject, String versionText, String schemaText, String schemaType) {
        int version = parseVersion(versionText);
        Schema candidate = parse(schemaText, schemaType);
        SubjectVersion against = liveVersion(subject, version);
        return AvroCompatibility.incompatibilities(state.effectiveLevel(subject), candidate,
            List.of(new Schema.Parser().parse(against.schema())));
    }

    private SubjectVersion liveVersion(String subject, int version) {
        if (state.liveVersions(subject).isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        Optional<SubjectVersion> found = version == LATEST
            ? state.latestLiveVersion(subject)
            : state.liveVersion(subject, version);
        return found.orElseThrow(() -> RegistryException.versionNotFound(subject, version));
    }

    /** A positive version, or {@link #LATEST} for "latest" (and -1, which Confluent's clients also send). */
    private static int parseVersion(String text) {
        if (text.equalsIgnoreCase("latest")) {
            return LATEST;
        }
        try {
            int version = Integer.parseInt(text);
            if (version == LATEST || version > 0) {
                return version;
            }
        } catch (NumberFormatException e) {
            // Reported below, like any other version that is not a positive int.
        }
        throw RegistryException.invalidVersion(text);
    }

    private static Schema parse(String text, String schemaType) {
        if (schemaType != null && !schemaType.toUpperCase(Locale.ROOT).equals("AVRO")) {
            throw RegistryException.invalidSchema("Unsupported schema type '" + schemaType
                + "': this registry stores AVRO schemas only");
        }
        if (text == null || text.isBlank()) {
            throw RegistryException.invalidSchema("Empty schema");
        }
        try {
            return new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            throw RegistryException.invalidSchema("Invalid schema: " + e.getMessage());
        }
    }
}
