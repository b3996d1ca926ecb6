package dev.turnout.apply.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.turnout.core.config.TableId;

/**
 * A target table as its catalog describes it: columns in table order and the column sets of its primary key and
 * unique indexes. Immutable.
 *
 * @param table      the table
 * @param columns    column name to description, in table order
 * @param primaryKey the primary key's columns, empty when it has none
 * @param uniqueKeys the column sets of every unique, non-partial index on plain columns (the primary key's included)
 */
public record TargetTable(TableId table, Map<String, TargetColumnInfo> columns, List<String> primaryKey,
                          List<Set<String>> uniqueKeys) {

    public TargetTable {
        columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        primaryKey = List.copyOf(primaryKey);
        uniqueKeys = List.copyOf(uniqueKeys);
    }

    public Optional<TargetColumnInfo> column(String name) {
        return Optional.ofNullable(columns.get(name));
    }

    /** Whether {@code key} is exactly the primary key or a unique index, in any order: what ON CONFLICT needs. */
    public boolean isUniqueKey(List<String> key) {
        Set<String> wanted = Set.copyOf(key);
        return wanted.size() == key.size() && uniqueKeys.contains(wanted);
    }
}
