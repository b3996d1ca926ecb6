package dev.turnout.transform.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

import dev.turnout.core.avro.AvroConverter;
import dev.turnout.core.registry.RegistryErrorCode;
import dev.turnout.core.registry.SchemaRegistryClient;
import dev.turnout.core.registry.SchemaRegistryException;
import dev.turnout.schemas.apply.SourcePosition;

/**
 * Decodes the raw key and value of a CDC record (Avro in the Confluent wire format, as capture writes it) into a
 * {@link ChangeEvent}. Thread-safe.
 *
 * <p>Bytes that are not wire-format Avro, or Avro that is not a Debezium change event, are poison
 * ({@link PoisonRecordException}). A schema id the registry does not know, or a registry that cannot be reached, is
 * not: every record would fail alike (a transform pointed at another registry than capture's), so it stops the
 * transform with the registry named rather than dead-letter the whole stream.
 */
final class ChangeEventDecoder implements AutoCloseable {

    private final AvroConverter keys;
    private final AvroConverter values;
    private final String registryUrl;

    ChangeEventDecoder(SchemaRegistryClient registry, String registryUrl) {
        this.registryUrl = registryUrl;
        Map<String, Object> config = Map.of("schema.registry.url", registryUrl);
        this.keys = new AvroConverter(registry);
        keys.configure(config, true);
        this.values = new AvroConverter(registry);
        values.configure(config, false);
    }

    /**
     * @param value the record's value; never null (tombstones are skipped before)
     * @throws PoisonRecordException if the record can never be decoded
     * @throws RegistryUnavailableException if the registry cannot answer or does not know the record's schema
     */
    ChangeEvent decode(SourceTable table, String topic, byte[] key, byte[] value) {
        Bytes sourceKey = key == null ? null : sourceKey(table, struct(topic, key, true, table));
        Struct envelope = struct(topic, value, false, table);
        if (envelope == null || envelope.schema().field("op") == null || envelope.schema().field("source") == null) {
            throw new PoisonRecordException(PoisonKind.UNDECODABLE, table.id() + ": the value is not a Debezium change "
                + "event (no op or source field)", null);
        }
        String code = envelope.getString("op");
        ChangeEvent.Op op = code == null ? null : ChangeEvent.Op.of(code);
        if (op == null) {
            throw new PoisonRecordException(PoisonKind.UNDECODABLE, table.id() + ": unsupported change operation '"
                + code + "' (Turnout transforms c, r, u and d; truncates are not captured)", null);
        }
        Struct source = envelope.getStruct("source");
        Long lsn = long64(source, "lsn");
        if (lsn == null) {
            throw new PoisonRecordException(PoisonKind.UNDECODABLE, table.id() + ": the change carries no source.lsn, "
                + "which orders it; it was not written by Debezium's PostgreSQL connector", null);
        }
        Struct before = image(envelope, "before");
        Struct after = image(envelope, "after");
        if (op != ChangeEvent.Op.DELETE && after == null) {
            throw new PoisonRecordException(PoisonKind.UNDECODABLE, table.id() + ": a '" + code + "' change without its "
                + "after image", null);
        }
        SourcePosition position = new SourcePosition(lsn, long64(source, "txId"), commitTime(source));
        return new ChangeEvent(op, sourceKey,
            before == null ? null : table.rows().read(before),
            after == null ? null : table.rows().read(after), position);
    }

    private Struct struct(String topic, byte[] bytes, boolean isKey, SourceTable table) {
        SchemaAndValue decoded;
        try {
            decoded = (isKey ? keys : values).toConnectData(topic, bytes);
        } catch (DataException e) {
            SchemaRegistryException registry = registryCause(e);
            if (registry != null && (registry.status() == 0 || registry.status() >= 500
                || registry.errorCode() == RegistryErrorCode.SCHEMA_NOT_FOUND)) {
                throw new RegistryUnavailableException("Cannot decode records of " + topic + ": the schema registry at "
                    + registryUrl + " " + (registry.status() == 0 ? "cannot be reached"
                    : registry.errorCode() == RegistryErrorCode.SCHEMA_NOT_FOUND
                        ? "does not know their schema id; is it the registry capture writes to?"
                        : "answered " + registry.status()) + " (" + registry.getMessage() + ")", e);
            }
            throw new PoisonRecordException(PoisonKind.UNDECODABLE, table.id() + ": the " + (isKey ? "key" : "value")
                + " is not Avro in the Confluent wire format: " + oneLine(rootMessage(e)), e);
        }
        if (decoded.value() != null && !(decoded.value() instanceof Struct)) {
            throw new PoisonRecordException(PoisonKind.UNDECODABLE, table.id() + ": the " + (isKey ? "key" : "value")
                + " is a " + decoded.value().getClass().getSimpleName() + ", not a Debezium record", null);
        }
        return (Struct) decoded.value();
    }

    /** The table and the key's columns, encoded as an apply key, so equal keys are equal bytes. */
    private static Bytes sourceKey(SourceTable table, Struct key) {
        if (key == null) {
            return null;
        }
        LinkedHashMap<String, Object> columns = new LinkedHashMap<>();
        for (Field field : key.schema().fields()) {
            columns.put(field.name(), RowReader.plain(key.get(field)));
        }
        ByteBuffer body;
        try {
            body = ApplyValues.key(columns).toByteBuffer();
        } catch (IOException | IllegalArgumentException e) {
            throw new PoisonRecordException(PoisonKind.KEY, table.id() + ": the source key cannot be encoded: "
                + e.getMessage(), e);
        }
        byte[] name = table.id().toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(name.length + 1 + body.remaining());
        out.put(name).put((byte) 0).put(body);
        return Bytes.wrap(out.array());
    }

    private static Struct image(Struct envelope, String name) {
        return envelope.schema().field(name) == null ? null : envelope.getStruct(name);
    }

    private static Long long64(Struct struct, String name) {
        Field field = struct.schema().field(name);
        if (field == null) {
            return null;
        }
        Object value = struct.get(field);
        return value instanceof Number n ? n.longValue() : null;
    }

    /** {@code source.ts_us}, or {@code source.ts_ms} from connectors that do not give microseconds. */
    private static Instant commitTime(Struct source) {
        Long micros = long64(source, "ts_us");
        if (micros != null) {
            return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
        }
        Long millis = long64(source, "ts_ms");
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    private static SchemaRegistryException registryCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException registry) {
                return registry;
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause().getMessage() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    @Override
    public void close() {
        keys.close();
        values.close();
    }
}
