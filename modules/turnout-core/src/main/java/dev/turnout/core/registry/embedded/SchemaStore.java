package dev.turnout.core.registry.embedded;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.core.registry.AvroCompatibility;
import dev.turnout.core.registry.CompatibilityLevel;
import dev.turnout.core.registry.embedded.RegistryState.SubjectVersion;
import dev.turnout.core.registry.embedded.StoreRecords.ConfigKey;
import dev.turnout.core.registry.embedded.StoreRecords.ConfigValue;
import dev.turnout.core.registry.embedded.StoreRecords.SchemaValue;

/**
 * The registry's write path: registrations, soft deletes and compatibility settings, each a record produced to the
 * registry topic and acknowledged only once the {@link StoreReader} has applied it.
 *
 * <p>Threads: HTTP threads call in; one lock serialises this instance's writes so that its own reads of the state between
 * catching up and producing are not invalidated by itself. Other instances on the same topic are not locked out: they
 * race, the log order decides (see {@link RegistryState}), and a registration that lost retries from the new state. The
 * producer (idempotent, acks=all) and admin client belong to the registry, which closes them.
 */
final class SchemaStore {

    private static final Logger log = LoggerFactory.getLogger(SchemaStore.class);
    private static final int MAX_ATTEMPTS = 20;

    private final TopicPartition partition;
    private final Admin admin;
    private final Producer<String, String> producer;
    private final RegistryState state;
    private final AppliedOffset applied;
    private final Duration timeout;
    private final ReentrantLock writeLock = new ReentrantLock();

    SchemaStore(String topic, Admin admin, Producer<String, String> producer, RegistryState state, AppliedOffset applied,
                Duration timeout) {
        this.partition = new TopicPartition(topic, 0);
        this.admin = admin;
        this.producer = producer;
        this.state = state;
        this.applied = applied;
        this.timeout = timeout;
    }

    /** Waits until the state includes every record in the topic at the moment of the call. */
    void catchUp() {
        long end;
        try {
            end = admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS).offset();
        } catch (ExecutionException e) {
            throw RegistryException.storeError("could not read the end offset of " + partition + ": "
                + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw RegistryException.storeError("could not read the end offset of " + partition + " within "
                + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryException.storeError("interrupted while reading the end offset of " + partition, e);
        }
        applied.await(end, timeout);
    }

    /**
     * Registers {@code schema} under {@code subject} and returns its id: the existing one if the subject already holds it
     * live, else a new version, refused with 409 if the subject's compatibility level forbids it.
     */
    int register(String subject, Schema schema) {
        String canonical = schema.toString();
        writeLock.lock();
        try {
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                catchUp();
                Optional<SubjectVersion> existing = state.liveVersionOf(subject, canonical);
                if (existing.isPresent()) {
                    return existing.get().id();
                }
                CompatibilityLevel level = state.effectiveLevel(subject);
                List<String> problems = AvroCompatibility.incompatibilities(level, schema, state.liveSchemas(subject));
                if (!problems.isEmpty()) {
                    throw RegistryException.incompatible(subject, problems);
                }
                int id = state.idOf(canonical).orElse(state.maxId() + 1);
                int version = state.maxVersion(subject) + 1;
                SchemaValue value = new SchemaValue(subject, version, id, canonical, false);
                String key = value.key().encode();
                long offset = produce(key, value.encode());
                applied.await(offset + 1, timeout);
                if (state.holds(subject, version, id, canonical)) {
                    log.info("Schema registry: registered id {} as version {} of subject '{}'", id, version, subject);
                    return id;
                }
                // Another instance took this version or id first. Our record stays in the log; a tombstone lets
                // compaction remove it, so that it cannot be replayed ahead of the winner's once that is compacted.
                log.info("Schema registry: another instance took version {} or id {} of subject '{}' first; retrying"
                    + " (attempt {} of {})", version, id, subject, attempt, MAX_ATTEMPTS);
                produce(key, null);
            }
        } finally {
            writeLock.unlock();
        }
        throw RegistryException.storeError("could not register a schema under subject '" + subject + "' after "
            + MAX_ATTEMPTS + " attempts: other instances kept taking the next version or id", null);
    }

    /** Soft-deletes every live version of the subject; returns them, ascending. */
    List<Integer> deleteSubject(String subject) {
        writeLock.lock();
        try {
            catchUp();
            List<Integer> versions = state.liveVersions(subject);
            if (versions.isEmpty()) {
                throw RegistryException.subjectNotFound(subject);
            }
            long last = -1;
            for (int version : versions) {
                Optional<SubjectVersion> live = state.liveVersion(subject, version);
                if (live.isPresent()) {
                    last = produceDeleted(live.get());
                }
            }
            applied.await(last + 1, timeout);
            log.info("Schema registry: soft-deleted subject '{}' (versions {})", subject, versions);
            return versions;
        } finally {
            writeLock.unlock();
        }
    }

    /** Soft-deletes one live version of the subject. */
    int deleteVersion(String subject, int version) {
        writeLock.lock();
        try {
            catchUp();
            if (state.liveVersions(subject).isEmpty()) {
                throw RegistryException.subjectNotFound(subject);
            }
            SubjectVersion live = state.liveVersion(subject, version)
                .orElseThrow(() -> RegistryException.versionNotFound(subject, version));
            applied.await(produceDeleted(live) + 1, timeout);
            log.info("Schema registry: soft-deleted version {} of subject '{}'", version, subject);
            return version;
        } finally {
            writeLock.unlock();
        }
    }

    /** Sets the compatibility level of a subject, or the global one when {@code subject} is null. */
    void setLevel(String subject, CompatibilityLevel level) {
        writeLock.lock();
        try {
            long offset = produce(new ConfigKey(subject).encode(), new ConfigValue(level).encode());
            applied.await(offset + 1, timeout);
            log.info("Schema registry: compatibility of {} set to {}",
                subject == null ? "the registry" : "subject '" + subject + "'", level);
        } finally {
            writeLock.unlock();
        }
    }

    private long produceDeleted(SubjectVersion live) {
        // Same key as the live record, so compaction keeps only the deleted one.
        SchemaValue deleted = new SchemaValue(live.subject(), live.version(), live.id(), live.schema(), true);
        return produce(deleted.key().encode(), deleted.encode());
    }

    private long produce(String key, String value) {
        try {
            return producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), key, value))
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS).offset();
        } catch (ExecutionException e) {
            throw RegistryException.storeError("could not write to " + partition + ": " + e.getCause().getMessage(),
                e.getCause());
        } catch (TimeoutException e) {
            throw RegistryException.storeError("no acknowledgement from " + partition + " within " + timeout.toSeconds()
                + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryException.storeError("interrupted while writing to " + partition, e);
        }
    }
}
