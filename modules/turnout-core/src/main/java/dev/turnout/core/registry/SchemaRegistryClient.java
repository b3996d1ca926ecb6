package dev.turnout.core.registry;

import java.util.List;
import java.util.Optional;

import org.apache.avro.Schema;

/**
 * A client of a Confluent-compatible schema registry (Confluent Schema Registry, Redpanda's registry, Apicurio's ccompat
 * API, or Turnout's embedded one).
 *
 * <p>Implementations are thread-safe and cache what cannot change: a schema by id, and the id of a schema registered
 * under a subject. Every method throws {@link SchemaRegistryException} for an error answer (with the registry's
 * {@code error_code}) or an unreachable registry.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /** Registers {@code schema} under {@code subject} (or finds it already registered) and returns its id. */
    int register(String subject, Schema schema);

    /** The schema with this id. */
    Schema schemaById(int id);

    /** The latest version registered under {@code subject}. */
    RegisteredSchema latest(String subject);

    /** A specific version registered under {@code subject}. */
    RegisteredSchema version(String subject, int version);

    /** The registration of {@code schema} under {@code subject}, if it is registered there. */
    Optional<RegisteredSchema> lookup(String subject, Schema schema);

    /** The subjects the registry knows. */
    List<String> subjects();

    /** The versions registered under {@code subject}. */
    List<Integer> versions(String subject);

    /** Whether {@code schema} could be registered as a new version of {@code subject}, checked against its latest. */
    CompatibilityResult testCompatibility(String subject, Schema schema);

    /** The registry-wide compatibility level. */
    CompatibilityLevel globalCompatibility();

    /** Sets the registry-wide compatibility level. */
    void setGlobalCompatibility(CompatibilityLevel level);

    /** The subject's own compatibility level, if it has one. */
    Optional<CompatibilityLevel> subjectCompatibility(String subject);

    /** Sets the subject's own compatibility level. */
    void setSubjectCompatibility(String subject, CompatibilityLevel level);

    /** Soft-deletes a subject and returns the versions it had. */
    List<Integer> deleteSubject(String subject);

    @Override
    void close();
}
