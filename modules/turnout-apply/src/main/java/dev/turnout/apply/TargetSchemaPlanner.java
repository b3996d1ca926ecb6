package dev.turnout.apply;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.turnout.apply.internal.Sql;
import dev.turnout.apply.internal.TargetCatalog;
import dev.turnout.apply.internal.TargetColumnInfo;
import dev.turnout.apply.internal.TargetTable;
import dev.turnout.core.config.TableId;

/**
 * Compares target table definitions with the target catalog and plans the DDL that makes the target ready for the
 * applier: {@code CREATE TABLE} for a missing table (primary key = the mapping's key, plus the guard column),
 * {@code ALTER TABLE ... ADD COLUMN} for a missing guard column, and Turnout's own {@code turnout_offsets} and
 * {@code turnout_tombstones}. An existing table is checked, never altered otherwise: a missing column, a column whose
 * type cannot hold the mapping's (PostgreSQL has no assignment cast from it, or it is shorter or less precise), a key
 * that is not the primary key or a unique index, or a NOT NULL column the mapping does not write, is a problem.
 * Stateless; borrows the connection.
 */
public final class TargetSchemaPlanner {

    private static final Pattern LENGTH = Pattern.compile("^(?:varchar|bpchar|character varying|character|char)\\((\\d+)\\)$");
    private static final Pattern NUMERIC = Pattern.compile("^(?:numeric|decimal)\\((\\d+)(?:,\\s*(\\d+))?\\)$");

    private TargetSchemaPlanner() {
    }

    /** The DDL and the problems for {@code tables} against the target the connection is on. */
    public static SchemaPlan plan(Connection target, List<TargetTableDefinition> tables) throws SQLException {
        List<SchemaPlan.Step> steps = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!exists(target, TurnoutTables.OFFSETS)) {
            steps.add(new SchemaPlan.Step("create " + TurnoutTables.OFFSETS + " (the applier's consumed offsets)",
                TurnoutTables.offsetsDdl(false)));
        }
        if (!exists(target, TurnoutTables.TOMBSTONES)) {
            List<String> ddl = TurnoutTables.tombstonesDdl(false);
            steps.add(new SchemaPlan.Step("create " + TurnoutTables.TOMBSTONES + " (positions of deleted keys)",
                ddl.get(0)));
            steps.add(new SchemaPlan.Step("index " + TurnoutTables.TOMBSTONES + " by deletion time (for its cleanup)",
                ddl.get(1)));
        }
        Set<String> schemasCreated = new LinkedHashSet<>();
        for (TargetTableDefinition definition : tables) {
            Optional<TargetTable> existing = TargetCatalog.read(target, definition.table());
            if (existing.isEmpty()) {
                String schema = definition.table().schema();
                if (!TargetCatalog.schemaExists(target, schema) && schemasCreated.add(schema)) {
                    steps.add(new SchemaPlan.Step("create schema " + schema, "CREATE SCHEMA " + Sql.readable(schema)));
                }
                steps.add(new SchemaPlan.Step("create table " + definition.table(), createTable(definition)));
                continue;
            }
            TargetTable table = existing.get();
            problems.addAll(check(target, definition, table));
            Optional<TargetColumnInfo> guard = table.column(TurnoutTables.GUARD_COLUMN);
            if (guard.isEmpty()) {
                steps.add(new SchemaPlan.Step("add the guard column " + TurnoutTables.GUARD_COLUMN + " to "
                    + definition.table() + " (existing rows count as older than any change)",
                    "ALTER TABLE " + Sql.readable(definition.table()) + " ADD COLUMN " + TurnoutTables.GUARD_COLUMN + " "
                        + TurnoutTables.GUARD_TYPE));
            } else if (!guard.get().castType().equals("bigint")) {
                problems.add(definition.table() + ": column " + TurnoutTables.GUARD_COLUMN + " is "
                    + guard.get().declaredType() + "; the applier keeps source positions there and needs bigint");
            }
        }
        return new SchemaPlan(steps, problems);
    }

    /** Runs the plan's steps in one transaction; throws, having rolled back, if any fails or the plan has problems. */
    public static void execute(Connection target, SchemaPlan plan) throws SQLException {
        if (!plan.problems().isEmpty()) {
            throw new IllegalStateException("the plan has problems and must not run: " + plan.problems());
        }
        boolean autoCommit = target.getAutoCommit();
        target.setAutoCommit(false);
        try (Statement st = target.createStatement()) {
            for (SchemaPlan.Step step : plan.steps()) {
                st.execute(step.sql());
            }
            target.commit();
        } catch (SQLException e) {
            target.rollback();
            throw e;
        } finally {
            target.setAutoCommit(autoCommit);
        }
    }

    static String createTable(TargetTableDefinition definition) {
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(Sql.readable(definition.table())).append(" (\n");
        for (TargetTableDefinition.Column c : definition.columns()) {
            boolean notNull = !c.nullable() || definition.key().contains(c.name());
            sql.append("  ").append(Sql.readable(c.name())).append(' ').append(c.sqlType())
                .append(notNull ? " NOT NULL" : "").append(",\n");
        }
        sql.append("  ").append(TurnoutTables.GUARD_COLUMN).append(' ').append(TurnoutTables.GUARD_TYPE).append(",\n");
        sql.append("  PRIMARY KEY (").append(String.join(", ", definition.key().stream().map(Sql::readable).toList()))
            .append(")\n)");
        return sql.toString();
    }

    private static List<String> check(Connection target, TargetTableDefinition definition, TargetTable table)
        throws SQLException {
        List<String> problems = new ArrayList<>();
        String name = definition.table().toString();
        for (TargetTableDefinition.Column c : definition.columns()) {
            Optional<TargetColumnInfo> actual = table.column(c.name());
            if (actual.isEmpty()) {
                problems.add(name + ": column " + c.name() + " is missing; the mapping writes it as " + c.sqlType()
                    + " (add it: ALTER TABLE " + Sql.readable(definition.table()) + " ADD COLUMN " + Sql.readable(c.name())
                    + " " + c.sqlType() + ")");
                continue;
            }
            compatibility(target, c, actual.get()).ifPresent(why -> problems.add(name + ": column " + c.name() + " is "
                + actual.get().declaredType() + ", which " + why));
        }
        if (!table.isUniqueKey(definition.key())) {
            problems.add(name + ": the mapping's key (" + String.join(", ", definition.key()) + ") is not its primary "
                + "key or a unique index" + (table.primaryKey().isEmpty() ? "" : " (its primary key is ("
                + String.join(", ", table.primaryKey()) + "))") + "; the applier's upserts need one");
        }
        for (TargetColumnInfo c : table.columns().values()) {
            if (c.notNull() && !c.hasDefault() && definition.column(c.name()).isEmpty()
                && !c.name().equals(TurnoutTables.GUARD_COLUMN)) {
                problems.add(name + ": column " + c.name() + " is NOT NULL without a default, and the mapping does not "
                    + "write it, so no row could be inserted");
            }
        }
        return problems;
    }

    /** Why the column cannot hold what the mapping writes, or empty when it can. */
    private static Optional<String> compatibility(Connection target, TargetTableDefinition.Column expected,
                                                  TargetColumnInfo actual) throws SQLException {
        Optional<TypeInfo> wanted = typeInfo(target, expected.sqlType());
        Optional<TypeInfo> have = typeInfo(target, actual.baseType());
        if (wanted.isEmpty() || have.isEmpty()) {
            return Optional.of("cannot be compared with the mapping's " + expected.sqlType()
                + " (the target database does not know that type)");
        }
        if (wanted.get().oid() == have.get().oid()) {
            return sizes(expected.sqlType(), actual);
        }
        if (holds(target, wanted.get(), have.get())) {
            return Optional.empty();
        }
        return Optional.of("cannot hold the mapping's " + expected.sqlType());
    }

    private record TypeInfo(long oid, char category, long element, String name) {
    }

    private static boolean holds(Connection target, TypeInfo wanted, TypeInfo have) throws SQLException {
        if (have.category() == 'S') {
            // Every type has an assignment cast to text types (through its text form).
            return true;
        }
        boolean wantedJson = wanted.name().equals("json") || wanted.name().equals("jsonb");
        boolean haveJson = have.name().equals("json") || have.name().equals("jsonb");
        if (wantedJson && (haveJson || have.category() == 'A') || wanted.category() == 'A' && haveJson) {
            // Lists travel as JSON; the applier writes a JSON array into an array column as an array.
            return true;
        }
        if (wanted.category() == 'A' && have.category() == 'A') {
            Optional<TypeInfo> wantedElement = typeInfo(target, wanted.element());
            Optional<TypeInfo> haveElement = typeInfo(target, have.element());
            return wantedElement.isPresent() && haveElement.isPresent()
                && (wantedElement.get().oid() == haveElement.get().oid()
                    || holds(target, wantedElement.get(), haveElement.get()));
        }
        try (PreparedStatement s = target.prepareStatement("SELECT 1 FROM pg_catalog.pg_cast WHERE castsource = ?::oid "
            + "AND casttarget = ?::oid AND castcontext IN ('a', 'i')")) {
            s.setLong(1, wanted.oid());
            s.setLong(2, have.oid());
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /**
     * Same type: a shorter length or a smaller precision or scale than the mapping's declared one cannot hold every
     * value. A mapping type without a declared size (text, numeric) is not compared: the column's size is then the
     * operator's choice, and a value beyond it is a poison record.
     */
    private static Optional<String> sizes(String expected, TargetColumnInfo actual) {
        Matcher wantedLength = LENGTH.matcher(expected);
        if (wantedLength.matches() && actual.maxLength().isPresent()
            && actual.maxLength().getAsInt() < Integer.parseInt(wantedLength.group(1))) {
            return Optional.of("is shorter than the mapping's " + expected);
        }
        Matcher wantedNumeric = NUMERIC.matcher(expected);
        Matcher haveNumeric = NUMERIC.matcher(actual.declaredType());
        if (wantedNumeric.matches() && haveNumeric.matches()) {
            int wantedScale = wantedNumeric.group(2) == null ? 0 : Integer.parseInt(wantedNumeric.group(2));
            int haveScale = haveNumeric.group(2) == null ? 0 : Integer.parseInt(haveNumeric.group(2));
            if (haveScale < wantedScale || Integer.parseInt(haveNumeric.group(1)) - haveScale
                < Integer.parseInt(wantedNumeric.group(1)) - wantedScale) {
                return Optional.of("is less precise than the mapping's " + expected);
            }
        }
        return Optional.empty();
    }

    private static Optional<TypeInfo> typeInfo(Connection target, String typeName) throws SQLException {
        try (PreparedStatement s = target.prepareStatement("SELECT t.oid, t.typcategory, t.typelem, t.typname "
            + "FROM pg_catalog.pg_type t WHERE t.oid = to_regtype(?)")) {
            s.setString(1, typeName);
            return typeInfo(s);
        }
    }

    private static Optional<TypeInfo> typeInfo(Connection target, long oid) throws SQLException {
        try (PreparedStatement s = target.prepareStatement("SELECT t.oid, t.typcategory, t.typelem, t.typname "
            + "FROM pg_catalog.pg_type t WHERE t.oid = ?::oid")) {
            s.setLong(1, oid);
            return typeInfo(s);
        }
    }

    private static Optional<TypeInfo> typeInfo(PreparedStatement s) throws SQLException {
        try (ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                return Optional.empty();
            }
            String category = r.getString(2);
            return Optional.of(new TypeInfo(r.getLong(1), category.isEmpty() ? 'X' : category.charAt(0), r.getLong(3),
                r.getString(4)));
        }
    }

    private static boolean exists(Connection c, TableId table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            s.setString(1, table.toString());
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        }
    }
}
