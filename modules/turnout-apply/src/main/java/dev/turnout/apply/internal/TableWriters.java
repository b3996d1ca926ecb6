package dev.turnout.apply.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.turnout.apply.TurnoutTables;
import dev.turnout.core.config.TableId;

/** The writer of each target table, re-read from the catalog when the table changes. Thread-safe. */
public final class TableWriters {

    private final Map<TableId, TableWriter> writers = new ConcurrentHashMap<>();

    /** Reads every table; a missing one is a {@link SchemaMismatchException} naming it and the fix. */
    public void load(Connection connection, Iterable<TableId> tables) throws SQLException, SchemaMismatchException {
        for (TableId t : tables) {
            refresh(connection, t);
        }
    }

    public TableWriter get(TableId table) {
        TableWriter writer = writers.get(table);
        if (writer == null) {
            throw new IllegalStateException("no writer for " + table);
        }
        return writer;
    }

    /** Reads the table's columns and keys again, after a statement found it changed. */
    public TableWriter refresh(Connection connection, TableId table) throws SQLException, SchemaMismatchException {
        TargetTable read = TargetCatalog.read(connection, table).orElseThrow(() -> new SchemaMismatchException(
            "target table " + table + " does not exist in the target database (or its user may not see it); create it "
                + "with: turnout schema apply -c FILE --execute"));
        if (read.column(TurnoutTables.GUARD_COLUMN).isEmpty()) {
            throw new SchemaMismatchException("target table " + table + " has no " + TurnoutTables.GUARD_COLUMN
                + " column, where the applier keeps each row's source position; add it with: turnout schema apply -c FILE "
                + "--execute");
        }
        TableWriter writer = new TableWriter(read);
        writers.put(table, writer);
        return writer;
    }
}
