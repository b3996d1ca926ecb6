package dev.turnout.core.registry.embedded;

import java.util.UUID;

import org.apache.avro.Schema;

/** Avro schema texts for registry tests. */
final class TestSchemas {

    private TestSchemas() {
    }

    /** A record schema with the given field declarations (see {@link #field} and {@link #optional}). */
    static String record(String name, String... fields) {
        return "{\"type\":\"record\",\"name\":\"" + name + "\",\"namespace\":\"test\",\"fields\":["
            + String.join(",", fields) + "]}";
    }

    /** A required field of a primitive type, e.g. field("id", "long"). */
    static String field(String name, String type) {
        return "{\"name\":\"" + name + "\",\"type\":\"" + type + "\"}";
    }

    /** An optional string field defaulting to null: {"type":["null","string"],"default":null}. */
    static String optional(String name) {
        return "{\"name\":\"" + name + "\",\"type\":[\"null\",\"string\"],\"default\":null}";
    }

    /** A field with a type and a JSON default, e.g. withDefault("n", "int", "0"). */
    static String withDefault(String name, String type, String jsonDefault) {
        return "{\"name\":\"" + name + "\",\"type\":\"" + type + "\",\"default\":" + jsonDefault + "}";
    }

    /** The canonical text the registry stores and returns for a schema. */
    static String canonical(String schema) {
        return new Schema.Parser().parse(schema).toString();
    }

    /** A topic name no other test uses. */
    static String uniqueTopic(String purpose) {
        return "_schemas-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
