package dev.turnout.core.config.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A YAML mapping with a fixed set of keys, bound to a Java record whose components carry the same names.
 *
 * @param type   the record the mapping binds to
 * @param fields the keys, in documentation order
 * @param what   how to describe this mapping to a user, e.g. "the source database"
 */
public record ObjectSpec(Class<? extends Record> type, List<Field> fields, String what) implements Spec {

    public ObjectSpec {
        fields = List.copyOf(fields);
        Map<String, Field> seen = new LinkedHashMap<>();
        for (Field f : fields) {
            if (seen.put(f.name(), f) != null) {
                throw new IllegalArgumentException(type.getSimpleName() + " declares '" + f.name() + "' twice");
            }
        }
    }

    public static ObjectSpec of(Class<? extends Record> type, String what, Field... fields) {
        return new ObjectSpec(type, List.of(fields), what);
    }

    public Optional<Field> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public List<String> fieldNames() {
        return fields.stream().map(Field::name).toList();
    }

    @Override
    public String expected() {
        return "a mapping (" + what + ")";
    }

    @Override
    public String typeName() {
        return "mapping";
    }
}
