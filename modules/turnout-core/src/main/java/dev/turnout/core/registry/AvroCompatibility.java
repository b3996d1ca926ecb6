package dev.turnout.core.registry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Decides whether a new Avro schema may follow a subject's earlier ones under a {@link CompatibilityLevel}, and says why
 * not in terms an operator can act on.
 *
 * <p>Stateless and thread-safe. The decision is Avro's own {@link SchemaCompatibility#checkReaderWriterCompatibility}:
 * BACKWARD reads the earlier schemas' data with the new schema, FORWARD reads the new schema's data with the earlier
 * ones, FULL does both. Non-transitive levels look only at the latest earlier schema, TRANSITIVE ones at all of them.
 *
 * <p>Each message is {@code TYPE at LOCATION: explanation}, where LOCATION is Avro's JSON pointer into the reading schema
 * and the explanation names the field and says which side (new or old) lacks what, for example
 * {@code READER_FIELD_MISSING_DEFAULT_VALUE at /fields/1: field 'email' has no default value in the new schema and is
 * missing in the old one}.
 */
public final class AvroCompatibility {

    private static final String NEW = "new";
    private static final String OLD = "old";

    private AvroCompatibility() {
    }

    /**
     * Why {@code candidate} may not follow {@code earlier} under {@code level}; empty when it may.
     *
     * @param earlier the subject's live schemas, oldest first; the last one is the latest
     */
    public static List<String> incompatibilities(CompatibilityLevel level, Schema candidate, List<Schema> earlier) {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(candidate, "candidate");
        if (level == CompatibilityLevel.NONE || earlier.isEmpty()) {
            return List.of();
        }
        List<Schema> against = level.transitive() ? earlier : List.of(earlier.get(earlier.size() - 1));
        // A transitive check can fail the same way against several versions; one message per distinct problem is enough.
        Set<String> messages = new LinkedHashSet<>();
        for (int i = against.size() - 1; i >= 0; i--) {
            Schema old = against.get(i);
            if (level.checksBackward()) {
                messages.addAll(readerWriter(candidate, NEW, old, OLD));
            }
            if (level.checksForward()) {
                messages.addAll(readerWriter(old, OLD, candidate, NEW));
            }
        }
        return List.copyOf(messages);
    }

    /** Whether {@code candidate} may follow {@code earlier} under {@code level}. */
    public static boolean isCompatible(CompatibilityLevel level, Schema candidate, List<Schema> earlier) {
        return incompatibilities(level, candidate, earlier).isEmpty();
    }

    private static List<String> readerWriter(Schema reader, String readerRole, Schema writer, String writerRole) {
        List<String> messages = new ArrayList<>();
        for (Incompatibility problem : SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult()
            .getIncompatibilities()) {
            messages.add(problem.getType() + " at " + problem.getLocation() + ": "
                + explain(problem, reader, readerRole, writerRole));
        }
        return messages;
    }

    private static String explain(Incompatibility problem, Schema reader, String readerRole, String writerRole) {
        String where = subjectOf(reader, problem.getLocation());
        Schema readerPart = problem.getReaderFragment();
        Schema writerPart = problem.getWriterFragment();
        switch (problem.getType()) {
            case READER_FIELD_MISSING_DEFAULT_VALUE:
                String field = where.startsWith("field ") ? where : "field '" + problem.getMessage() + "'";
                return field + " has no default value in the " + readerRole + " schema and is missing in the "
                    + writerRole + " one";
            case TYPE_MISMATCH:
                return where + " is " + typeName(readerPart) + " in the " + readerRole + " schema, which cannot read "
                    + typeName(writerPart) + " written with the " + writerRole + " one";
            case NAME_MISMATCH:
                return where + " is named '" + readerPart.getFullName() + "' in the " + readerRole + " schema but '"
                    + writerPart.getFullName() + "' in the " + writerRole + " one (an alias would reconcile them)";
            case FIXED_SIZE_MISMATCH:
                return where + " is a fixed of " + readerPart.getFixedSize() + " bytes in the " + readerRole
                    + " schema but " + writerPart.getFixedSize() + " bytes in the " + writerRole + " one";
            case MISSING_ENUM_SYMBOLS:
                return where + ": the " + readerRole + " schema's enum lacks symbols " + problem.getMessage()
                    + " of the " + writerRole + " one and has no default symbol";
            case MISSING_UNION_BRANCH:
                return where + ": the " + readerRole + " schema cannot read every branch of the " + writerRole
                    + " one (" + problem.getMessage() + ")";
            default:
                return where + ": " + problem.getMessage() + " (" + readerRole + " schema reading " + writerRole
                    + " data)";
        }
    }

    private static String typeName(Schema schema) {
        switch (schema.getType()) {
            case RECORD:
            case ENUM:
            case FIXED:
                return schema.getType().getName() + " '" + schema.getFullName() + "'";
            default:
                return schema.getType().getName().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * "field 'a.b'" for a location inside a record field of {@code reader}, else "the schema". Avro's location is a JSON
     * pointer such as {@code /fields/2/type/fields/0/type}; only the field names along it matter to an operator.
     */
    static String subjectOf(Schema reader, String location) {
        List<String> fields = new ArrayList<>();
        Schema current = reader;
        String[] tokens = location == null ? new String[0] : location.split("/");
        for (int i = 0; i < tokens.length && current != null; i++) {
            String token = tokens[i];
            if (token.isEmpty() || token.equals("type")) {
                continue;
            }
            if (token.equals("fields") && current.getType() == Schema.Type.RECORD && i + 1 < tokens.length) {
                Integer index = index(tokens[i + 1]);
                if (index == null || index >= current.getFields().size()) {
                    break;
                }
                Schema.Field field = current.getFields().get(index);
                fields.add(field.name());
                current = field.schema();
                i++;
            } else if (token.equals("items") && current.getType() == Schema.Type.ARRAY) {
                current = current.getElementType();
            } else if (token.equals("values") && current.getType() == Schema.Type.MAP) {
                current = current.getValueType();
            } else if (current.getType() == Schema.Type.UNION && index(token) != null
                && index(token) < current.getTypes().size()) {
                current = current.getTypes().get(index(token));
            } else {
                break;
            }
        }
        return fields.isEmpty() ? "the schema" : "field '" + String.join(".", fields) + "'";
    }

    private static Integer index(String token) {
        try {
            int value = Integer.parseInt(token);
            return value >= 0 ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
