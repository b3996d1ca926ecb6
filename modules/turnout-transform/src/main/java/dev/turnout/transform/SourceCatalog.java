package dev.turnout.transform;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.turnout.core.config.TableId;
import dev.turnout.core.config.Suggestions;

/**
 * Where source table schemas come from: the database catalog ({@link CatalogReader}) or, later, a schema registry.
 * Implementations document their own threading.
 */
public interface SourceCatalog {

    /**
     * The schema of {@code table}.
     *
     * @throws UnknownTableException if the table does not exist
     * @throws CatalogException      if the catalog cannot be read
     */
    SourceSchema schema(TableId table);

    /** A catalog of fixed schemas, for tests and for schemas obtained elsewhere. Immutable. */
    static SourceCatalog of(List<SourceSchema> schemas) {
        Map<TableId, SourceSchema> byTable = new HashMap<>();
        schemas.forEach(s -> byTable.put(s.table(), s));
        return table -> {
            SourceSchema schema = byTable.get(table);
            if (schema == null) {
                throw new UnknownTableException(table, "table " + table + " does not exist in the source database"
                    + Suggestions.didYouMean(table.toString(), byTable.keySet().stream().map(TableId::toString).toList()));
            }
            return schema;
        };
    }
}
