package dev.turnout.apply.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.turnout.core.avro.AvroDeserializer;
import dev.turnout.core.registry.SchemaRegistryException;
import dev.turnout.schemas.apply.ApplyColumn;
import dev.turnout.schemas.apply.ApplyKey;
import dev.turnout.schemas.apply.ApplyOp;
import dev.turnout.schemas.apply.ApplyRecord;

/**
 * Decodes apply records (Confluent wire format, schemas from the registry) and writes their values as text for the
 * target table's columns. A record that does not decode, or whose values cannot be written for their columns, becomes
 * {@link Poison}; records naming columns the table does not have are a {@link SchemaMismatchException}; an unreachable
 * schema registry is a {@link RegistryUnavailableException}, never poison. Thread-safe (the deserializers are).
 */
public final class ChangeDecoder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AvroDeserializer keys;
    private final AvroDeserializer values;

    /** Either a change or a poison record. */
    public record Decoded(Change change, Poison poison) {
        static Decoded of(Change change) {
            return new Decoded(change, null);
        }

        static Decoded poison(Poison poison) {
            return new Decoded(null, poison);
        }
    }

    /** The schema registry could not be asked for a record's schema: retry later, skip nothing. */
    public static final class RegistryUnavailableException extends RuntimeException {
        RegistryUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public ChangeDecoder(AvroDeserializer keys, AvroDeserializer values) {
        this.keys = keys;
        this.values = values;
    }

    public Decoded decode(ConsumerRecord<byte[], byte[]> record, TargetTable table) throws SchemaMismatchException {
        if (record.key() == null || record.value() == null) {
            return poison(record, table, "undecodable apply record: it has no " + (record.key() == null ? "key" : "value")
                + " (apply records carry both; a delete is an ApplyRecord with op DELETE, not a null value)",
                "IllegalArgumentException");
        }
        Object key;
        Object value;
        try {
            key = keys.deserialize(record.topic(), record.key());
            value = values.deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            if (e.getCause() instanceof SchemaRegistryException registry
                && (registry.status() == 0 || registry.status() >= 500)) {
                // The registry is down, not the record bad: the batch waits for it.
                throw new RegistryUnavailableException(registry.getMessage(), registry);
            }
            return poison(record, table, "undecodable apply record: " + e.getMessage(), e.getClass().getName());
        }
        if (!(key instanceof ApplyKey applyKey) || !(value instanceof ApplyRecord applyRecord)) {
            return poison(record, table, "undecodable apply record: expected an ApplyKey and an ApplyRecord, got "
                + typeName(key) + " and " + typeName(value), "IllegalArgumentException");
        }
        if (applyKey.getColumns().isEmpty()) {
            return poison(record, table, "undecodable apply record: the key has no columns", "IllegalArgumentException");
        }

        List<String> keyColumns = new ArrayList<>();
        List<String> keyValues = new ArrayList<>();
        for (ApplyColumn c : applyKey.getColumns()) {
            TargetColumnInfo column = column(table, c.getName(), "key column");
            if (c.getValue() == null || ValueRenderer.isUnavailable(c.getValue())) {
                return poison(record, table, "key column " + c.getName() + " is "
                    + (c.getValue() == null ? "null" : "unavailable") + "; a key must have a value",
                    "IllegalArgumentException");
            }
            try {
                keyColumns.add(c.getName());
                keyValues.add(ValueRenderer.render(c.getValue(), column));
            } catch (ValueRenderer.RenderException e) {
                return poison(record, table, "key column " + c.getName() + " (" + column.declaredType() + "): "
                    + e.getMessage(), e.getClass().getName());
            }
        }

        boolean upsert = applyRecord.getOp() == ApplyOp.UPSERT;
        List<String> columns = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<Boolean> unavailable = new ArrayList<>();
        if (upsert) {
            for (ApplyColumn c : applyRecord.getColumns()) {
                TargetColumnInfo column = column(table, c.getName(), "column");
                columns.add(c.getName());
                if (ValueRenderer.isUnavailable(c.getValue())) {
                    texts.add(null);
                    unavailable.add(true);
                    continue;
                }
                try {
                    texts.add(ValueRenderer.render(c.getValue(), column));
                    unavailable.add(false);
                } catch (ValueRenderer.RenderException e) {
                    return poison(record, table, "column " + c.getName() + " (" + column.declaredType() + "): "
                        + e.getMessage(), e.getClass().getName());
                }
            }
            for (String k : keyColumns) {
                int i = columns.indexOf(k);
                if (i < 0) {
                    return poison(record, table, "the row image lacks key column " + k, "IllegalArgumentException");
                }
                if (unavailable.get(i)) {
                    return poison(record, table, "key column " + k + " is unavailable in the row image; a key must "
                        + "have a value", "IllegalArgumentException");
                }
            }
        }
        Instant commitTime = applyRecord.getPosition().getCommitTime();
        return Decoded.of(new Change(record, upsert, keyColumns, keyValues, tombstoneKey(keyValues), columns, texts,
            unavailable, applyRecord.getPosition().getLsn(), commitTime));
    }

    private static TargetColumnInfo column(TargetTable table, String name, String what) throws SchemaMismatchException {
        return table.column(name).orElseThrow(() -> new SchemaMismatchException("apply records for " + table.table()
            + " carry " + what + " '" + name + "', which the target table does not have; add it to the table (turnout "
            + "schema apply -c FILE lists what is missing)"));
    }

    /** The key as turnout_tombstones keeps it: a JSON array of the key's values as text, in key order. */
    static String tombstoneKey(List<String> keyValues) {
        try {
            return JSON.writeValueAsString(keyValues);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of strings did not serialize as JSON", e);
        }
    }

    private static Decoded poison(ConsumerRecord<byte[], byte[]> record, TargetTable table, String reason,
                                  String errorClass) {
        return Decoded.poison(new Poison(record, table.table(), table.table() + ": " + reason, errorClass));
    }

    private static String typeName(Object o) {
        return o == null ? "null" : o.getClass().getSimpleName();
    }
}
