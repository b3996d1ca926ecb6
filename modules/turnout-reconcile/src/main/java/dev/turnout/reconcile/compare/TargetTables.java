package dev.turnout.reconcile.compare;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.turnout.core.config.ConfigException;
import dev.turnout.core.config.TableId;
import dev.turnout.transform.CatalogReader;
import dev.turnout.transform.Mappings;
import dev.turnout.transform.SourceColumn;
import dev.turnout.transform.SourceSchema;
import dev.turnout.transform.TableMapping;
import dev.turnout.transform.UnknownTableException;

/**
 * Reads the target tables a pipeline writes from the target catalog and checks that reconciliation can use them: each
 * exists, and its primary key is the mapping's key (a change captured from the target names its row by the primary
 * key, and a delete carries nothing else). Every problem is collected before failing. Borrows the connection.
 */
public final class TargetTables {

    private static final String REPLICA_IDENTITY = """
        SELECT c.relreplident FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ? AND c.relname = ?""";

    private TargetTables() {
    }

    /**
     * The target table of every mapping, in mapping order; a target written by several mappings appears once, with the
     * first mapping.
     *
     * @param ignore column names never compared ({@code reconcile.ignore})
     * @throws TargetSchemaException naming every target table that is missing or whose key does not fit
     * @throws SQLException          if the catalog cannot be read
     */
    public static List<TargetTable> read(Mappings mappings, Connection target, List<String> ignore) throws SQLException {
        CatalogReader catalog = new CatalogReader(target);
        Map<TableId, TargetTable> tables = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Set<String> ignored = new HashSet<>(ignore);
        for (TableMapping mapping : mappings.all()) {
            TableId id = mapping.target();
            if (tables.containsKey(id) || problems.stream().anyMatch(p -> p.startsWith(id + ":"))) {
                continue;
            }
            SourceSchema schema;
            try {
                schema = catalog.schema(id);
            } catch (UnknownTableException e) {
                problems.add(id + ": the table does not exist in the target database (or its user may not see it); "
                    + "create it (turnout schema apply)");
                continue;
            }
            List<String> primaryKey = schema.primaryKey().stream().map(SourceColumn::name).toList();
            if (!new HashSet<>(primaryKey).equals(new HashSet<>(mapping.key())) && !replicaIdentityFull(target, id)) {
                problems.add(id + ": its primary key is " + (primaryKey.isEmpty() ? "missing" : primaryKey)
                    + ", but the mapping's key is " + mapping.key() + "; reconciliation finds target rows by the "
                    + "mapping's key, so make it the primary key (or set REPLICA IDENTITY FULL)");
                continue;
            }
            TableMapping copy;
            try {
                copy = primaryKey.isEmpty() ? null : TableMapping.identity(schema);
            } catch (ConfigException e) {
                problems.add(id + ": its columns cannot be read: " + e.getMessage());
                continue;
            }
            if (copy == null) {
                problems.add(id + ": the table has no primary key; give it one on " + mapping.key());
                continue;
            }
            tables.put(id, new TargetTable(mapping, schema, copy, ignored));
        }
        if (!problems.isEmpty()) {
            throw new TargetSchemaException(problems);
        }
        return List.copyOf(tables.values());
    }

    private static boolean replicaIdentityFull(Connection target, TableId table) throws SQLException {
        try (PreparedStatement s = target.prepareStatement(REPLICA_IDENTITY)) {
            s.setString(1, table.schema());
            s.setString(2, table.table());
            try (ResultSet r = s.executeQuery()) {
                return r.next() && "f".equals(r.getString(1));
            }
        }
    }
}
