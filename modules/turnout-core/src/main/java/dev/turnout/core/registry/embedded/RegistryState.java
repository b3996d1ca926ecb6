package dev.turnout.core.registry.embedded;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.core.registry.CompatibilityLevel;
import dev.turnout.core.registry.embedded.StoreRecords.ConfigKey;
import dev.turnout.core.registry.embedded.StoreRecords.ConfigValue;
import dev.turnout.core.registry.embedded.StoreRecords.Key;
import dev.turnout.core.registry.embedded.StoreRecords.SchemaKey;
import dev.turnout.core.registry.embedded.StoreRecords.SchemaValue;

/**
 * The registry's in-memory state, built only by applying the topic's records in log order.
 *
 * <p>Threads: the store reader thread applies records; HTTP threads and the writer query. Every method holds this
 * object's monitor, so a query sees whole records applied or not at all. Nothing here survives a restart: the next
 * instance replays the topic and, because the rules below depend only on the log, reaches the same state; and every
 * instance on the cluster does too.
 *
 * <p>Apply rules. A live schema record takes its (subject, version) only if that version is free, its id is free or
 * already holds the same schema, the schema has no other id, and the schema is not already a live version of the
 * subject; otherwise another writer won that race and the record is ignored. A record for a version that already holds
 * the same id and schema (the same key) sets its deleted flag: the latest record of a key decides, exactly as compaction
 * will leave it. A deleted record for a version never seen (compaction removed its live record) adds it as deleted, so
 * version and id stay reserved. A tombstone removes the version it names if that key was applied, and is ignored
 * otherwise (a race loser cleaning up).
 * Config records are last-write-wins; a config tombstone unsets the level.
 */
final class RegistryState {

    private static final Logger log = LoggerFactory.getLogger(RegistryState.class);

    /** Whether a record changed the state. */
    enum Outcome { APPLIED, IGNORED }

    /** One version of a subject as the REST API shows it; {@code schema} is the canonical text. */
    record SubjectVersion(String subject, int version, int id, String schema) {
    }

    private record StoredSchema(String canonical, Schema schema) {
    }

    private static final class Entry {
        final int id;
        boolean deleted;

        Entry(int id, boolean deleted) {
            this.id = id;
            this.deleted = deleted;
        }
    }

    private final TreeMap<Integer, StoredSchema> schemasById = new TreeMap<>();
    // Live records never give a schema a second id, but a deleted record whose live one was compacted away is taken as
    // it is; should that ever carry a second id, the smallest is the schema's id from then on.
    private final Map<String, TreeSet<Integer>> idsByCanonical = new HashMap<>();
    private final TreeMap<String, TreeMap<Integer, Entry>> subjects = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel;

    /**
     * Applies one record of the topic as read: JSON key and value, the value null for a tombstone. Keys of types this
     * registry does not write are ignored.
     *
     * @throws IllegalArgumentException if the key or value is not a record of this registry
     */
    synchronized Outcome apply(String key, String value) {
        Optional<Key> decoded = StoreRecords.decodeKey(key);
        if (decoded.isEmpty()) {
            return Outcome.IGNORED;
        }
        if (decoded.get() instanceof SchemaKey schemaKey) {
            return applySchema(schemaKey, value == null ? null : StoreRecords.decodeSchemaValue(value));
        }
        ConfigKey configKey = (ConfigKey) decoded.get();
        return applyConfig(configKey, value == null ? null : StoreRecords.decodeConfigValue(value));
    }

    /** Applies a schema record; {@code value} is null for a tombstone. */
    synchronized Outcome applySchema(SchemaKey key, SchemaValue value) {
        if (value == null) {
            return applyTombstone(key);
        }
        if (!value.subject().equals(key.subject()) || value.version() != key.version() || value.id() != key.id()) {
            return ignored(key, "its value names another version");
        }
        if (key.version() < 1 || key.id() < 1) {
            return ignored(key, "version and id must be positive");
        }
        String canonical;
        Schema schema;
        try {
            schema = new Schema.Parser().parse(value.schema());
            canonical = schema.toString();
        } catch (RuntimeException e) {
            return ignored(key, "its schema does not parse: " + e.getMessage());
        }
        TreeMap<Integer, Entry> versions = subjects.get(key.subject());
        Entry existing = versions == null ? null : versions.get(key.version());
        if (existing != null) {
            return applyToExisting(key, existing, canonical, value.deleted());
        }
        StoredSchema holder = schemasById.get(key.id());
        if (holder != null && !holder.canonical().equals(canonical)) {
            return ignored(key, "id " + key.id() + " holds another schema");
        }
        if (!value.deleted()) {
            TreeSet<Integer> ids = idsByCanonical.get(canonical);
            if (ids != null && !ids.contains(key.id())) {
                return ignored(key, "the schema already has id " + ids.first());
            }
            if (liveVersionOf(key.subject(), canonical).isPresent()) {
                return ignored(key, "the schema is already a live version of the subject");
            }
        }
        subjects.computeIfAbsent(key.subject(), s -> new TreeMap<>())
            .put(key.version(), new Entry(key.id(), value.deleted()));
        schemasById.putIfAbsent(key.id(), new StoredSchema(canonical, schema));
        idsByCanonical.computeIfAbsent(canonical, c -> new TreeSet<>()).add(key.id());
        return Outcome.APPLIED;
    }

    private Outcome applyToExisting(SchemaKey key, Entry existing, String canonical, boolean deleted) {
        if (existing.id != key.id() || !schemasById.get(existing.id).canonical().equals(canonical)) {
            return ignored(key, "version " + key.version() + " holds another schema");
        }
        if (existing.deleted == deleted) {
            return Outcome.IGNORED;
        }
        if (!deleted && liveVersionOf(key.subject(), canonical).isPresent()) {
            return ignored(key, "the schema is already a live version of the subject");
        }
        existing.deleted = deleted;
        return Outcome.APPLIED;
    }

    private Outcome applyTombstone(SchemaKey key) {
        TreeMap<Integer, Entry> versions = subjects.get(key.subject());
        Entry entry = versions == null ? null : versions.get(key.version());
        if (entry == null || entry.id != key.id()
            || !StoreRecords.fingerprint(schemasById.get(entry.id).canonical()).equals(key.fingerprint())) {
            return Outcome.IGNORED;
        }
        versions.remove(key.version());
        if (versions.isEmpty()) {
            subjects.remove(key.subject());
        }
        boolean stillUsed = subjects.values().stream().anyMatch(v -> v.values().stream().anyMatch(e -> e.id == key.id()));
        if (!stillUsed) {
            StoredSchema removed = schemasById.remove(key.id());
            TreeSet<Integer> ids = idsByCanonical.get(removed.canonical());
            ids.remove(key.id());
            if (ids.isEmpty()) {
                idsByCanonical.remove(removed.canonical());
            }
        }
        log.info("Schema registry: version {} of subject '{}' (id {}) was hard-deleted by a tombstone", key.version(),
            key.subject(), key.id());
        return Outcome.APPLIED;
    }

    private static Outcome ignored(SchemaKey key, String why) {
        log.debug("Schema registry: ignored record for version {} of subject '{}' (id {}): {}", key.version(),
            key.subject(), key.id(), why);
        return Outcome.IGNORED;
    }

    /** Applies a config record; {@code value} is null for a tombstone. */
    synchronized Outcome applyConfig(ConfigKey key, ConfigValue value) {
        CompatibilityLevel level = value == null ? null : value.level();
        if (key.subject() == null) {
            globalLevel = level;
        } else if (level == null) {
            subjectLevels.remove(key.subject());
        } else {
            subjectLevels.put(key.subject(), level);
        }
        return Outcome.APPLIED;
    }

    /** Subjects with at least one live version, sorted. */
    synchronized List<String> liveSubjects() {
        List<String> live = new ArrayList<>();
        subjects.forEach((subject, versions) -> {
            if (versions.values().stream().anyMatch(e -> !e.deleted)) {
                live.add(subject);
            }
        });
        return live;
    }

    /** The subject's live version numbers, ascending; empty when unknown or all deleted. */
    synchronized List<Integer> liveVersions(String subject) {
        List<Integer> live = new ArrayList<>();
        subjects.getOrDefault(subject, new TreeMap<>()).forEach((version, entry) -> {
            if (!entry.deleted) {
                live.add(version);
            }
        });
        return live;
    }

    /** A live version of a subject. */
    synchronized Optional<SubjectVersion> liveVersion(String subject, int version) {
        Entry entry = subjects.getOrDefault(subject, new TreeMap<>()).get(version);
        if (entry == null || entry.deleted) {
            return Optional.empty();
        }
        return Optional.of(view(subject, version, entry));
    }

    /** The highest live version of a subject. */
    synchronized Optional<SubjectVersion> latestLiveVersion(String subject) {
        List<Integer> live = liveVersions(subject);
        return live.isEmpty() ? Optional.empty() : liveVersion(subject, live.get(live.size() - 1));
    }

    /** The live version of a subject holding this canonical schema. */
    synchronized Optional<SubjectVersion> liveVersionOf(String subject, String canonical) {
        for (Map.Entry<Integer, Entry> e : subjects.getOrDefault(subject, new TreeMap<>()).entrySet()) {
            Entry entry = e.getValue();
            if (!entry.deleted && schemasById.get(entry.id).canonical().equals(canonical)) {
                return Optional.of(view(subject, e.getKey(), entry));
            }
        }
        return Optional.empty();
    }

    /** The subject's live schemas, oldest first. */
    synchronized List<Schema> liveSchemas(String subject) {
        List<Schema> live = new ArrayList<>();
        subjects.getOrDefault(subject, new TreeMap<>()).values().forEach(entry -> {
            if (!entry.deleted) {
                live.add(schemasById.get(entry.id).schema());
            }
        });
        return live;
    }

    /** Whether the version exists (deleted or not) with this id and schema: a writer's check that its record won. */
    synchronized boolean holds(String subject, int version, int id, String canonical) {
        Entry entry = subjects.getOrDefault(subject, new TreeMap<>()).get(version);
        return entry != null && entry.id == id && schemasById.get(id).canonical().equals(canonical);
    }

    /** The canonical schema text under an id, deleted versions included. */
    synchronized Optional<String> schema(int id) {
        StoredSchema stored = schemasById.get(id);
        return stored == null ? Optional.empty() : Optional.of(stored.canonical());
    }

    /** The id of a canonical schema, if any version anywhere (deleted included) holds it. */
    synchronized OptionalInt idOf(String canonical) {
        TreeSet<Integer> ids = idsByCanonical.get(canonical);
        return ids == null ? OptionalInt.empty() : OptionalInt.of(ids.first());
    }

    /** The highest id held; 0 when none. */
    synchronized int maxId() {
        return schemasById.isEmpty() ? 0 : schemasById.lastKey();
    }

    /** The highest version the subject ever had, deleted ones included; 0 when none. */
    synchronized int maxVersion(String subject) {
        TreeMap<Integer, Entry> versions = subjects.get(subject);
        return versions == null || versions.isEmpty() ? 0 : versions.lastKey();
    }

    /** The global level as set, or the default. */
    synchronized CompatibilityLevel globalLevel() {
        return globalLevel == null ? CompatibilityLevel.DEFAULT : globalLevel;
    }

    /** The subject's own level, if set. */
    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    /** The level that governs registrations under the subject. */
    synchronized CompatibilityLevel effectiveLevel(String subject) {
        return subjectLevel(subject).orElseGet(this::globalLevel);
    }

    /** Every version (deleted ones marked), id and level, one per line in a fixed order: for logs and for comparing. */
    synchronized String snapshot() {
        StringBuilder out = new StringBuilder();
        subjects.forEach((subject, versions) -> versions.forEach((version, entry) -> out.append(subject).append('/')
            .append(version).append(" -> ").append(entry.id).append(entry.deleted ? " (deleted)" : "").append('\n')));
        schemasById.forEach((id, stored) -> out.append(id).append(" = ").append(stored.canonical()).append('\n'));
        out.append("global = ").append(globalLevel()).append('\n');
        new TreeMap<>(subjectLevels).forEach((subject, level) -> out.append(subject).append(" = ").append(level)
            .append('\n'));
        return out.toString();
    }

    private SubjectVersion view(String subject, int version, Entry entry) {
        return new SubjectVersion(subject, version, entry.id, schemasById.get(entry.id).canonical());
    }
}
