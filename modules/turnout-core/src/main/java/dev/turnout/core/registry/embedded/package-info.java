/**
 * An embedded, Confluent-Schema-Registry-compatible REST server for Avro schemas, stored in a compacted Kafka topic.
 *
 * <p>{@link dev.turnout.core.registry.embedded.EmbeddedSchemaRegistry} is the only public type. Inside: the HTTP routing
 * ({@code RegistryHttpHandler}) calls the REST operations ({@code RegistryService}), which read the in-memory state
 * ({@code RegistryState}) and write through the store ({@code SchemaStore}); one reader thread ({@code StoreReader})
 * applies the topic to the state and publishes how far it got ({@code AppliedOffset}).
 *
 * <p>Topic records (JSON strings, keys written with this field order):
 * <pre>
 * key   {"keytype":"SCHEMA","subject":s,"version":v,"id":id,"fingerprint":sha256-of-canonical-schema}
 * value {"subject":s,"version":v,"id":id,"schema":canonical-text,"deleted":bool}   (null: tombstone)
 * key   {"keytype":"CONFIG","subject":s-or-null}
 * value {"compatibilityLevel":"FULL"}                                             (null: unset)
 * </pre>
 */
package dev.turnout.core.registry.embedded;
