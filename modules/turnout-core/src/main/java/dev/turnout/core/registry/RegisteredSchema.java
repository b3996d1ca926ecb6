package dev.turnout.core.registry;

import org.apache.avro.Schema;

/**
 * A schema as a registry holds it under a subject.
 *
 * @param subject the subject, e.g. {@code orders-value}
 * @param version the version within the subject, from 1
 * @param id      the registry-wide schema id that the wire format carries
 * @param schema  the parsed Avro schema
 */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {
}
