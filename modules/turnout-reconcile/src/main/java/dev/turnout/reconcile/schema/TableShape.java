package dev.turnout.reconcile.schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.turnout.core.config.TableId;

/**
 * One table as a catalog declares it: columns in order, and the column lists of its primary key and unique indexes.
 */
record TableShape(TableId id, Map<String, ColumnShape> columns, List<List<String>> uniqueKeys) {

    Optional<ColumnShape> column(String name) {
        return Optional.ofNullable(columns.get(name));
    }

    /** Whether a primary key or a unique index (without predicate) covers exactly these columns. */
    boolean uniqueOn(List<String> key) {
        return uniqueKeys.stream().anyMatch(u -> u.size() == key.size() && u.containsAll(key));
    }
}
