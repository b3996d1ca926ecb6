package dev.turnout.apply;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.turnout.core.config.TableId;

/**
 * What a target table must hold for its mapping, in neutral terms: its columns with their PostgreSQL types and
 * nullability, and its key. Built from a pipeline's mappings (in {@code turnout-app}, from transform's
 * {@code TargetColumnTypes}); read by {@link TargetSchemaPlanner}. Immutable.
 *
 * @param table   the target table
 * @param columns its columns in mapping order; the guard column is not among them
 * @param key     the key columns, in key order; each among {@code columns}
 */
public record TargetTableDefinition(TableId table, List<Column> columns, List<String> key) {

    /**
     * One target column.
     *
     * @param name     the column name
     * @param sqlType  its PostgreSQL type as written in {@code CREATE TABLE} ({@code text}, {@code varchar(20)},
     *                 {@code numeric(10,2)}, {@code int8[]})
     * @param nullable whether the mapping may give it null (a created column is NOT NULL otherwise)
     */
    public record Column(String name, String sqlType, boolean nullable) {
        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(sqlType, "sqlType");
        }
    }

    public TargetTableDefinition {
        Objects.requireNonNull(table, "table");
        columns = List.copyOf(columns);
        key = List.copyOf(key);
        Set<String> names = new HashSet<>();
        for (Column c : columns) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException(table + " has two columns named " + c.name());
            }
            if (c.name().equals(TurnoutTables.GUARD_COLUMN)) {
                throw new IllegalArgumentException(table + ": " + TurnoutTables.GUARD_COLUMN + " is Turnout's own column");
            }
        }
        if (key.isEmpty() || !names.containsAll(key)) {
            throw new IllegalArgumentException(table + ": the key " + key + " must be among the columns " + names);
        }
    }

    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
