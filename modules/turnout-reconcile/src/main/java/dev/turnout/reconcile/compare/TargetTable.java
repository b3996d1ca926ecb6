package dev.turnout.reconcile.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.turnout.core.config.TableId;
import dev.turnout.transform.SourceColumn;
import dev.turnout.transform.SourceSchema;
import dev.turnout.transform.TableMapping;
import dev.turnout.transform.TargetColumn;

/**
 * One target table as reconciliation sees it: the mapping that produces its expected rows, its columns as the target
 * catalog describes them, the copy mapping that reads its actual rows (from the target's CDC or from JDBC) into the
 * same plain values a mapping produces, and the columns compared. Immutable and thread-safe.
 *
 * <p>Compared columns are the mapping's target columns, minus {@code reconcile.ignore} and the applier's guard column
 * {@value #GUARD_COLUMN}. Target columns the mapping does not write are never compared.
 */
public final class TargetTable {

    /** The applier's guard column: the source position a target row was last written from. */
    public static final String GUARD_COLUMN = "_turnout_lsn";

    private final TableMapping mapping;
    private final SourceSchema schema;
    private final TableMapping copy;
    private final List<String> compared;
    private final Map<String, SourceColumn> columns;

    /**
     * @param mapping the mapping whose output is this table's expected rows
     * @param schema  the target table's columns from the target catalog
     * @param copy    the copy (identity) mapping of {@code schema}, which decodes actual rows
     * @param ignore  column names never compared
     */
    public TargetTable(TableMapping mapping, SourceSchema schema, TableMapping copy, Set<String> ignore) {
        this.mapping = mapping;
        this.schema = schema;
        this.copy = copy;
        Map<String, SourceColumn> byName = new LinkedHashMap<>();
        schema.columns().forEach(c -> byName.put(c.name(), c));
        this.columns = java.util.Collections.unmodifiableMap(byName);
        List<String> names = new ArrayList<>();
        for (TargetColumn c : mapping.columns()) {
            if (!ignore.contains(c.name()) && !c.name().equals(GUARD_COLUMN)) {
                names.add(c.name());
            }
        }
        this.compared = List.copyOf(names);
    }

    /** The target table. */
    public TableId id() {
        return mapping.target();
    }

    /** The mapping from the source table whose output this table should hold. */
    public TableMapping mapping() {
        return mapping;
    }

    /** The copy mapping over the target table's own columns, reading its rows into a mapping's plain values. */
    public TableMapping copy() {
        return copy;
    }

    /** The target table's columns from its catalog. */
    public SourceSchema schema() {
        return schema;
    }

    /** The target key columns, in key order (the mapping's key, which is the target's primary key). */
    public List<String> key() {
        return mapping.key();
    }

    /** The columns compared, in the mapping's order; key columns included. */
    public List<String> compared() {
        return compared;
    }

    /** A target column as the catalog describes it. */
    public Optional<SourceColumn> column(String name) {
        return Optional.ofNullable(columns.get(name));
    }

    /** Whether the target table has the applier's guard column (it has not in dual-write mode, as a rule). */
    public boolean hasGuard() {
        return columns.containsKey(GUARD_COLUMN);
    }

    @Override
    public String toString() {
        return id().toString();
    }
}
