package dev.turnout.reconcile.schema;

import java.util.List;

/**
 * What {@code turnout schema diff} found, as written to {@code --report FILE} (JSON). Immutable.
 *
 * @param tables    one entry per mapping: its source and target table and what differs
 * @param newTables target tables no mapping writes, in the schemas the mappings write to (Turnout's own
 *                  {@code turnout_*} tables left out)
 */
public record SchemaDiffReport(List<Table> tables, List<String> newTables) {

    public SchemaDiffReport {
        tables = List.copyOf(tables);
        newTables = List.copyOf(newTables);
    }

    /** How much a finding matters. */
    public enum Severity {
        /** The target cannot hold what the mapping produces: writes would fail. */
        ERROR,
        /** The target holds it, changed (rounded, shortened precision, a dropped time zone), or cannot be checked. */
        WARNING,
        /** A difference that does no harm (a wider type, a new nullable column, another default). */
        INFO
    }

    /** What kind of difference. */
    public enum Kind {
        TABLE_MISSING, COLUMN_MISSING, COLUMN_NEW, TYPE_CHANGED, NULLABILITY_CHANGED, DEFAULT_CHANGED, KEY_MISSING,
        COLUMN_NOT_CARRIED
    }

    /**
     * One difference.
     *
     * @param column the target column concerned (a source column for {@code COLUMN_NOT_CARRIED}); null for the table
     * @param source the source side: a copied column's type, a computed column's CEL type and expression
     * @param target the target column's type, or what the target has
     */
    public record Finding(Severity severity, Kind kind, String column, String source, String target, String detail) {
    }

    /** One mapping's tables and their differences. */
    public record Table(String source, String target, List<Finding> findings) {
        public Table {
            findings = List.copyOf(findings);
        }
    }

    /** Whether the target can hold everything the mappings produce (no ERROR finding). */
    public boolean targetHoldsMappings() {
        return tables.stream().flatMap(t -> t.findings().stream()).noneMatch(f -> f.severity() == Severity.ERROR);
    }
}
