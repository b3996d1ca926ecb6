package dev.turnout.reconcile.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.turnout.core.config.TableId;
import dev.turnout.reconcile.compare.TargetTable;
import dev.turnout.reconcile.schema.SchemaDiffReport.Finding;
import dev.turnout.reconcile.schema.SchemaDiffReport.Kind;
import dev.turnout.reconcile.schema.SchemaDiffReport.Severity;
import dev.turnout.transform.Mappings;
import dev.turnout.transform.TableMapping;
import dev.turnout.transform.TargetColumn;

/**
 * {@code turnout schema diff}: compares the source and target catalogs through the mappings. For each mapping, the
 * target table must exist, have a column for each column the mapping writes, able to hold its values (a copied column
 * by the source column's declared type, length, precision, scale and nullability; a computed one by its CEL type), and
 * a primary key or unique index on the mapping's key, which the applier upserts on. A source column the mapping renames
 * or computes from is not "missing": only source columns no expression reads are listed, as not carried. Target columns
 * the mapping does not write are listed as new, an error when they are NOT NULL without a default (inserts would fail).
 * The applier's guard column {@code _turnout_lsn} and Turnout's own {@code turnout_*} tables are left out. Borrows the
 * connections.
 */
public final class SchemaDiff {

    private SchemaDiff() {
    }

    /** Compares the target's catalog with what {@code mappings} (compiled against {@code source}) write. */
    public static SchemaDiffReport compare(Mappings mappings, Connection source, Connection target) throws SQLException {
        Catalog sourceCatalog = new Catalog(source);
        Catalog targetCatalog = new Catalog(target);
        List<SchemaDiffReport.Table> tables = new ArrayList<>();
        Set<TableId> written = new LinkedHashSet<>();
        Set<String> schemas = new LinkedHashSet<>();
        for (TableMapping mapping : mappings.all()) {
            written.add(mapping.target());
            schemas.add(mapping.target().schema());
            TableShape from = sourceCatalog.table(mapping.source()).orElseThrow(() -> new IllegalStateException(
                "source table " + mapping.source() + " disappeared while reading the catalog"));
            Optional<TableShape> to = targetCatalog.table(mapping.target());
            tables.add(new SchemaDiffReport.Table(mapping.source().toString(), mapping.target().toString(),
                to.isEmpty() ? List.of(new Finding(Severity.ERROR, Kind.TABLE_MISSING, null, mapping.source().toString(),
                    null, "the target has no table " + mapping.target()))
                    : findings(mapping, from, to.get())));
        }
        List<String> fresh = new ArrayList<>();
        for (String schema : schemas) {
            for (String name : targetCatalog.tables(schema)) {
                TableId id = new TableId(schema, name);
                if (!written.contains(id) && !name.startsWith("turnout_")) {
                    fresh.add(id.toString());
                }
            }
        }
        return new SchemaDiffReport(tables, fresh);
    }

    private static List<Finding> findings(TableMapping mapping, TableShape source, TableShape target) {
        List<Finding> out = new ArrayList<>();
        Set<String> writes = new LinkedHashSet<>();
        for (TargetColumn column : mapping.columns()) {
            writes.add(column.name());
            Optional<ColumnShape> have = target.column(column.name());
            Optional<String> copied = mapping.copiedFrom(column.name());
            String from = copied.flatMap(source::column).map(c -> c.sqlType() + " (" + c.name() + ")")
                .orElse(column.type() + " = " + column.expression());
            if (have.isEmpty()) {
                out.add(new Finding(Severity.ERROR, Kind.COLUMN_MISSING, column.name(), from, null,
                    "the mapping writes " + column.name() + " but the target table has no such column"));
                continue;
            }
            ColumnShape t = have.get();
            boolean key = mapping.key().contains(column.name());
            if (copied.isPresent() && source.column(copied.get()).isPresent()) {
                ColumnShape s = source.column(copied.get()).get();
                type(out, column.name(), from, t, TypeFit.copied(s, t));
                if (s.nullable() && !t.nullable() && !key) {
                    out.add(new Finding(Severity.ERROR, Kind.NULLABILITY_CHANGED, column.name(), from, t.sqlType(),
                        "the source column admits null, the target column is NOT NULL"));
                } else if (!s.nullable() && t.nullable() && !key) {
                    out.add(new Finding(Severity.INFO, Kind.NULLABILITY_CHANGED, column.name(), from, t.sqlType(),
                        "the source column is NOT NULL, the target column admits null"));
                }
                if (!s.default_().equals(t.default_())) {
                    out.add(new Finding(Severity.INFO, Kind.DEFAULT_CHANGED, column.name(),
                        s.default_().orElse("no default"), t.default_().orElse("no default"),
                        "the column's default differs (the applier writes every column, so it does not apply)"));
                }
            } else {
                // A computed column has no source type to differ from: only a type that cannot hold it is reported.
                TypeFit.Verdict verdict = TypeFit.computed(column.type(), t);
                if (verdict.fit() != TypeFit.Fit.WIDER) {
                    type(out, column.name(), from, t, verdict);
                }
            }
        }
        for (ColumnShape t : target.columns().values()) {
            if (writes.contains(t.name()) || t.name().equals(TargetTable.GUARD_COLUMN)) {
                continue;
            }
            boolean blocks = !t.nullable() && t.default_().isEmpty();
            out.add(new Finding(blocks ? Severity.ERROR : Severity.INFO, Kind.COLUMN_NEW, t.name(), null, t.sqlType(),
                blocks ? "the target column is NOT NULL without a default and no mapping column writes it: inserts "
                    + "would fail" : "no mapping column writes it"));
        }
        if (!target.uniqueOn(mapping.key())) {
            out.add(new Finding(Severity.ERROR, Kind.KEY_MISSING, String.join(", ", mapping.key()), null, null,
                "the target has no primary key or unique index on the mapping's key " + mapping.key()
                    + "; the applier upserts on it"));
        }
        Set<String> read = new LinkedHashSet<>();
        mapping.columns().forEach(c -> read.addAll(mapping.reads(c.name())));
        for (ColumnShape s : source.columns().values()) {
            if (!read.contains(s.name())) {
                out.add(new Finding(Severity.INFO, Kind.COLUMN_NOT_CARRIED, s.name(), s.sqlType(), null,
                    "no mapping column reads this source column, so it is not carried to the target"));
            }
        }
        return out;
    }

    private static void type(List<Finding> out, String column, String from, ColumnShape target, TypeFit.Verdict v) {
        switch (v.fit()) {
            case SAME -> {
            }
            case WIDER -> out.add(new Finding(Severity.INFO, Kind.TYPE_CHANGED, column, from, target.sqlType(),
                "the target type holds every value"));
            case LOSSY -> out.add(new Finding(Severity.WARNING, Kind.TYPE_CHANGED, column, from, target.sqlType(),
                v.why()));
            case INCOMPATIBLE -> out.add(new Finding(Severity.ERROR, Kind.TYPE_CHANGED, column, from, target.sqlType(),
                v.why()));
        }
    }
}
