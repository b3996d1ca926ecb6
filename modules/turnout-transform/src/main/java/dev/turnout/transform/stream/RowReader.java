package dev.turnout.transform.stream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns a row image of a Debezium change event (a Connect {@link Struct}) into the row map a
 * {@link dev.turnout.transform.TableMapping} reads: columns under their catalog names, values as Connect carries them,
 * nested structs (such as {@code VariableScaleDecimal}'s scale and value) as maps. Immutable; one per source table.
 * Public so that reconciliation reads the target's change events as the transform reads the source's.
 */
public final class RowReader {

    /** Debezium's field name to the catalog's column name, for the columns whose names Debezium had to adjust. */
    private final Map<String, String> catalogNames;

    /** A reader of the images of a table with these catalog column names. */
    public RowReader(List<String> catalogColumns) {
        Map<String, String> names = new HashMap<>();
        for (String column : catalogColumns) {
            String field = AvroFieldNames.adjust(column);
            if (!field.equals(column)) {
                names.put(field, column);
            }
        }
        this.catalogNames = Map.copyOf(names);
    }

    /** The row an image holds, under catalog column names. */
    public Map<String, Object> read(Struct image) {
        Map<String, Object> row = new HashMap<>();
        for (Field field : image.schema().fields()) {
            row.put(catalogNames.getOrDefault(field.name(), field.name()), plain(image.get(field)));
        }
        return row;
    }

    /** A Connect value with structs turned into maps, at any depth. */
    static Object plain(Object value) {
        if (value instanceof Struct struct) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Field field : struct.schema().fields()) {
                map.put(field.name(), plain(struct.get(field)));
            }
            return map;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(e -> out.add(plain(e)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(plain(k), plain(v)));
            return out;
        }
        return value;
    }
}
