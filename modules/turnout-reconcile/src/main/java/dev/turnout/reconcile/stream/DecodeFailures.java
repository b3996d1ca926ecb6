package dev.turnout.reconcile.stream;

import dev.turnout.core.registry.RegistryErrorCode;
import dev.turnout.core.registry.SchemaRegistryException;

/** Whether a decoding failure is the record's (poison) or the registry's (stop). Stateless. */
final class DecodeFailures {

    private DecodeFailures() {
    }

    /** {@link RegistryUnavailableException} for a registry problem, else {@link PoisonRecordException}. */
    static RuntimeException classify(String topic, String what, String registryUrl, RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException registry && (registry.status() == 0 || registry.status() >= 500
                || registry.errorCode() == RegistryErrorCode.SCHEMA_NOT_FOUND)) {
                return new RegistryUnavailableException("Cannot decode records of " + topic + ": the schema registry at "
                    + registryUrl + (registry.status() == 0 ? " cannot be reached"
                    : registry.errorCode() == RegistryErrorCode.SCHEMA_NOT_FOUND
                        ? " does not know their schema id; is it the registry the pipeline writes to?"
                        : " answered " + registry.status()) + " (" + oneLine(registry.getMessage()) + ")", e);
            }
        }
        return new PoisonRecordException(what + " is not Avro in the Confluent wire format: " + oneLine(root(e)), e);
    }

    static String oneLine(String text) {
        return String.valueOf(text).replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    private static String root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause().getMessage() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
