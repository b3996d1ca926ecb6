package dev.turnout.transform;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.turnout.core.config.TableId;

/**
 * The columns of one source table, in table order, as the catalog (or a schema registry) describes them. Immutable.
 *
 * @param table   the table
 * @param columns its columns, in ordinal order; names are unique
 */
public record SourceSchema(TableId table, List<SourceColumn> columns) {

    public SourceSchema {
        columns = List.copyOf(columns);
        Set<String> names = new HashSet<>();
        for (SourceColumn c : columns) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException(table + " has two columns named " + c.name());
            }
        }
    }

    public static SourceSchema of(TableId table, SourceColumn... columns) {
        return new SourceSchema(table, List.of(columns));
    }

    public Optional<SourceColumn> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public List<String> columnNames() {
        return columns.stream().map(SourceColumn::name).toList();
    }

    /** The primary key's columns in key order; empty when the table has no primary key. */
    public List<SourceColumn> primaryKey() {
        return columns.stream()
            .filter(c -> c.primaryKeyPosition().isPresent())
            .sorted(Comparator.comparingInt(c -> c.primaryKeyPosition().getAsInt()))
            .toList();
    }
}
