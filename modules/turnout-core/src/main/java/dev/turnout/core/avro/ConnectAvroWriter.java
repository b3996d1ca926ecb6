package dev.turnout.core.avro;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.avro.io.Encoder;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Writes a Connect value as Avro binary straight from the Connect data, for an Avro schema that AvroData derived from
 * its Connect schema. The bytes are the ones AvroData's conversion to a generic record followed by Avro's generic
 * writer produce; capture writes every change this way because building that intermediate record for each change was
 * the largest part of capture's own CPU in a profile (turnout-bench).
 *
 * <p>{@link #of} accepts only schema pairs whose every node it can write; for any other pair it returns empty and the
 * caller takes the generic path. Immutable and thread-safe.
 */
final class ConnectAvroWriter {

    private final Node root;

    private ConnectAvroWriter(Node root) {
        this.root = root;
    }

    /** A writer for values of {@code connect} as {@code avro}, or empty if some part of the pair is not supported. */
    static Optional<ConnectAvroWriter> of(Schema connect, org.apache.avro.Schema avro) {
        Node root = node(connect, avro);
        return root == null ? Optional.empty() : Optional.of(new ConnectAvroWriter(root));
    }

    void write(Object value, Encoder out) throws IOException {
        root.write(value, out);
    }

    /** Writes one value of one schema node. */
    private interface Node {
        void write(Object value, Encoder out) throws IOException;
    }

    /** Null when the pair is not supported. */
    private static Node node(Schema connect, org.apache.avro.Schema avro) {
        if (connect.isOptional() || avro.getType() == org.apache.avro.Schema.Type.UNION) {
            return union(connect, avro);
        }
        return required(connect, avro);
    }

    /** An optional Connect schema is a two-branch union with null in Avro; AvroData orders the branches by default. */
    private static Node union(Schema connect, org.apache.avro.Schema avro) {
        if (avro.getType() != org.apache.avro.Schema.Type.UNION || avro.getTypes().size() != 2) {
            return null;
        }
        List<org.apache.avro.Schema> branches = avro.getTypes();
        int nullBranch = branches.get(0).getType() == org.apache.avro.Schema.Type.NULL ? 0
            : branches.get(1).getType() == org.apache.avro.Schema.Type.NULL ? 1 : -1;
        if (nullBranch < 0) {
            return null;
        }
        int valueBranch = 1 - nullBranch;
        Node inner = required(connect, branches.get(valueBranch));
        if (inner == null) {
            return null;
        }
        return (value, out) -> {
            if (value == null) {
                out.writeIndex(nullBranch);
                out.writeNull();
            } else {
                out.writeIndex(valueBranch);
                inner.write(value, out);
            }
        };
    }

    private static Node required(Schema connect, org.apache.avro.Schema avro) {
        org.apache.avro.Schema.Type type = avro.getType();
        String name = connect.name();
        if (Decimal.LOGICAL_NAME.equals(name)) {
            return type != org.apache.avro.Schema.Type.BYTES ? null
                : (value, out) -> out.writeBytes(Decimal.fromLogical(connect, (BigDecimal) value));
        }
        if (Date.LOGICAL_NAME.equals(name)) {
            return type != org.apache.avro.Schema.Type.INT ? null
                : (value, out) -> out.writeInt(Date.fromLogical(connect, (java.util.Date) value));
        }
        if (Time.LOGICAL_NAME.equals(name)) {
            return type != org.apache.avro.Schema.Type.INT ? null
                : (value, out) -> out.writeInt(Time.fromLogical(connect, (java.util.Date) value));
        }
        if (Timestamp.LOGICAL_NAME.equals(name)) {
            return type != org.apache.avro.Schema.Type.LONG ? null
                : (value, out) -> out.writeLong(Timestamp.fromLogical(connect, (java.util.Date) value));
        }
        return switch (connect.type()) {
            case INT8, INT16, INT32 -> type != org.apache.avro.Schema.Type.INT ? null
                : (value, out) -> out.writeInt(((Number) value).intValue());
            case INT64 -> type != org.apache.avro.Schema.Type.LONG ? null
                : (value, out) -> out.writeLong((Long) value);
            case FLOAT32 -> type != org.apache.avro.Schema.Type.FLOAT ? null
                : (value, out) -> out.writeFloat((Float) value);
            case FLOAT64 -> type != org.apache.avro.Schema.Type.DOUBLE ? null
                : (value, out) -> out.writeDouble((Double) value);
            case BOOLEAN -> type != org.apache.avro.Schema.Type.BOOLEAN ? null
                : (value, out) -> out.writeBoolean((Boolean) value);
            case STRING -> type != org.apache.avro.Schema.Type.STRING ? null
                : (value, out) -> out.writeString((String) value);
            case BYTES -> type != org.apache.avro.Schema.Type.BYTES ? null : ConnectAvroWriter::bytes;
            case ARRAY -> array(connect, avro);
            case MAP -> map(connect, avro);
            case STRUCT -> struct(connect, avro);
        };
    }

    private static void bytes(Object value, Encoder out) throws IOException {
        if (value instanceof byte[] b) {
            out.writeBytes(b);
        } else if (value instanceof ByteBuffer b) {
            out.writeBytes(b.duplicate());
        } else {
            throw new DataException("A BYTES value must be a byte[] or ByteBuffer, not " + value.getClass().getName());
        }
    }

    private static Node array(Schema connect, org.apache.avro.Schema avro) {
        if (avro.getType() != org.apache.avro.Schema.Type.ARRAY) {
            return null;
        }
        Node element = node(connect.valueSchema(), avro.getElementType());
        if (element == null) {
            return null;
        }
        return (value, out) -> {
            List<?> list = (List<?>) value;
            out.writeArrayStart();
            out.setItemCount(list.size());
            for (Object item : list) {
                out.startItem();
                element.write(item, out);
            }
            out.writeArrayEnd();
        };
    }

    /** Maps with string keys only: AvroData writes other maps as arrays of key/value records. */
    private static Node map(Schema connect, org.apache.avro.Schema avro) {
        if (avro.getType() != org.apache.avro.Schema.Type.MAP || connect.keySchema().type() != Schema.Type.STRING
            || connect.keySchema().isOptional()) {
            return null;
        }
        Node values = node(connect.valueSchema(), avro.getValueType());
        if (values == null) {
            return null;
        }
        return (value, out) -> {
            Map<?, ?> map = (Map<?, ?>) value;
            out.writeMapStart();
            out.setItemCount(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.startItem();
                out.writeString((String) e.getKey());
                values.write(e.getValue(), out);
            }
            out.writeMapEnd();
        };
    }

    private static Node struct(Schema connect, org.apache.avro.Schema avro) {
        if (avro.getType() != org.apache.avro.Schema.Type.RECORD
            || avro.getFields().size() != connect.fields().size()) {
            return null;
        }
        List<Field> fields = connect.fields();
        Node[] nodes = new Node[fields.size()];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = node(fields.get(i).schema(), avro.getFields().get(i).schema());
            if (nodes[i] == null) {
                return null;
            }
        }
        return (value, out) -> {
            Struct struct = (Struct) value;
            for (int i = 0; i < nodes.length; i++) {
                // Struct.get(Field) gives the field's default for an unset value, as AvroData's conversion does.
                nodes[i].write(struct.get(fields.get(i)), out);
            }
        };
    }
}
