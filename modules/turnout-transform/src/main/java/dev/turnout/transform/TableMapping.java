package dev.turnout.transform;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.cel.runtime.CelEvaluationException;
import dev.turnout.core.config.ConfigException;
import dev.turnout.core.config.TableId;
import dev.turnout.core.config.TurnoutConfig.MappingConfig;
import dev.turnout.transform.internal.ColumnCodec;
import dev.turnout.transform.internal.FunctionFailure;
import dev.turnout.transform.internal.TargetValues;

/**
 * How rows of one source table become rows of its target table: a {@code where} filter, target columns computed by
 * CEL expressions over {@code row}, and a target key. Compiled and type-checked against the source table's schema
 * once; immutable and safe to use from any number of threads.
 *
 * <p>Source rows are maps of column name to value as Debezium's Connect structs carry them (see
 * {@link #apply}); target rows hold plain Java values (see {@link TargetRow}).
 */
public final class TableMapping {

    private final TableId source;
    private final TableId target;
    private final List<TargetColumn> columns;
    private final List<CompiledExpression> expressions;
    private final List<String> key;
    private final Optional<CompiledExpression> where;
    private final Map<String, ColumnCodec> codecs;
    private final List<String> sourceColumns;
    private final List<String> sourceKey;
    private final boolean identity;

    TableMapping(TableId source, TableId target, Map<String, CompiledExpression> columns, List<String> key,
                 Optional<CompiledExpression> where, Map<String, ColumnCodec> codecs, SourceSchema schema,
                 boolean identity) {
        this.source = source;
        this.target = target;
        this.columns = columns.entrySet().stream()
            .map(e -> new TargetColumn(e.getKey(), e.getValue().text(), e.getValue().type())).toList();
        this.expressions = List.copyOf(columns.values());
        this.key = List.copyOf(key);
        this.where = where;
        this.codecs = codecs;
        this.sourceColumns = schema.columnNames();
        this.sourceKey = schema.primaryKey().stream().map(SourceColumn::name).toList();
        this.identity = identity;
    }

    /**
     * Compiles one mapping against its source table's schema. Problems are collected in one pass and thrown together,
     * their key paths relative to the mapping ({@code columns.name}, {@code where}); {@link Mappings#compile} locates
     * them in the config file instead.
     *
     * @throws ConfigException if a column is unknown, an expression does not parse or type-check, {@code where} is not
     *                         boolean, or the key is not among the target columns
     */
    public static TableMapping compile(MappingConfig mapping, SourceSchema schema) {
        Problems problems = Problems.unlocated("mapping of " + schema.table());
        TableMapping compiled = new MappingCompiler(schema, "", "from", problems).compile(mapping);
        problems.throwIfAny();
        return compiled;
    }

    /**
     * The mapping of a table that has none: the same table name, every column copied by name, the source primary key.
     *
     * @throws ConfigException if the table has no primary key
     */
    public static TableMapping identity(SourceSchema schema) {
        Problems problems = Problems.unlocated("copy of " + schema.table());
        TableMapping compiled = new MappingCompiler(schema, "", "from", problems).identity();
        problems.throwIfAny();
        return compiled;
    }

    public TableId source() {
        return source;
    }

    public TableId target() {
        return target;
    }

    /** The target columns in order, each with its expression and type. */
    public List<TargetColumn> columns() {
        return columns;
    }

    /** The target key columns, in key order; always among {@link #columns()}. */
    public List<String> key() {
        return key;
    }

    /** The filter expression, if any. */
    public Optional<String> where() {
        return where.map(CompiledExpression::text);
    }

    /** The source table's columns in table order, as the catalog named them when the mapping was compiled. */
    public List<String> sourceColumns() {
        return sourceColumns;
    }

    /** The source table's primary-key columns in key order; empty when it has none. */
    public List<String> sourceKey() {
        return sourceKey;
    }

    /**
     * Whether the target key is computed from source primary-key columns alone. Then an update cannot move a row to
     * another target key, and a delete's before image, which always carries the primary key, computes it. Otherwise
     * (a key from other columns, or a table without a primary key) the target key of a row can change while its source
     * key stays, and only what was emitted before says which target row a change replaces.
     */
    public boolean keyFollowsSourceKey() {
        if (sourceKey.isEmpty()) {
            return false;
        }
        for (String name : key) {
            if (!sourceKey.containsAll(expressions.get(indexOf(name)).needs(codecs.keySet()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The source column a target column copies unchanged (its expression is exactly {@code row.<column>}); empty for a
     * computed column.
     *
     * @throws IllegalArgumentException if {@code targetColumn} is not a column of this mapping
     */
    public Optional<String> copiedFrom(String targetColumn) {
        return expressions.get(columnIndex(targetColumn)).reads().copyOf();
    }

    /**
     * The source columns a target column's expression reads: those it names, or every source column when it uses
     * {@code row} whole.
     *
     * @throws IllegalArgumentException if {@code targetColumn} is not a column of this mapping
     */
    public List<String> reads(String targetColumn) {
        return List.copyOf(expressions.get(columnIndex(targetColumn)).needs(codecs.keySet()));
    }

    private int columnIndex(String targetColumn) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(targetColumn)) {
                return i;
            }
        }
        throw new IllegalArgumentException(targetColumn + " is not a target column of " + target);
    }

    /** Whether this is the copy of a table that has no mapping. */
    public boolean isIdentity() {
        return identity;
    }

    /**
     * Maps one source row.
     *
     * @param row column name to value as Debezium delivers them: {@code Short/Integer/Long}, {@code Float/Double},
     *            {@code BigDecimal}, {@code String} (text, uuid, json, enums; ISO-8601 for timestamptz),
     *            {@code Boolean}, {@code byte[]}/{@code ByteBuffer}, epoch days for {@code date}, epoch milliseconds or
     *            microseconds for {@code timestamp} (by its precision), microseconds for {@code time} and
     *            {@code interval}, {@code List} for arrays; or {@code java.time} values. A missing column is null.
     * @return the target row, or empty when {@code where} is false or null for this row (SQL's reading of a filter)
     * @throws MappingEvaluationException if an expression fails on this row
     */
    public Optional<TargetRow> apply(Map<String, ?> row) {
        RowValues values = new RowValues(row, codecs);
        if (where.isPresent()) {
            CompiledExpression filter = where.get();
            for (String column : filter.needs(codecs.keySet())) {
                if (values.unavailable(column)) {
                    throw failure(Optional.empty(), filter, "reads column " + column + ", which this change does not "
                        + "carry (an unchanged TOASTed value), so the filter cannot be decided", null);
                }
            }
            Object keep = evaluate(Optional.empty(), filter, values);
            if (keep == null) {
                return Optional.empty();
            }
            if (!(keep instanceof Boolean)) {
                throw failure(Optional.empty(), filter, "gave a " + keep.getClass().getSimpleName() + ", not a boolean",
                    null);
            }
            if (!(Boolean) keep) {
                return Optional.empty();
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < expressions.size(); i++) {
            String name = columns.get(i).name();
            CompiledExpression expression = expressions.get(i);
            boolean unavailable = expression.needs(codecs.keySet()).stream().anyMatch(values::unavailable);
            out.put(name, unavailable ? UnavailableValue.INSTANCE : evaluate(Optional.of(name), expression, values));
        }
        return Optional.of(new TargetRow(target, out, keyFrom(out)));
    }

    /**
     * The target key of a source row, computing only the key columns: what a delete needs, whose before image may hold
     * nothing but the source primary key (REPLICA IDENTITY DEFAULT). A key computed from other columns then fails
     * with {@link MappingEvaluationException} (null key column).
     */
    public Map<String, Object> keyOf(Map<String, ?> row) {
        RowValues values = new RowValues(row, codecs);
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : key) {
            int i = indexOf(name);
            out.put(name, evaluate(Optional.of(name), expressions.get(i), values));
        }
        return keyFrom(out);
    }

    private Map<String, Object> keyFrom(Map<String, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : key) {
            Object value = values.get(name);
            CompiledExpression expression = expressions.get(indexOf(name));
            if (value == null) {
                throw failure(Optional.of(name), expression, "key column is null", null);
            }
            if (value == UnavailableValue.INSTANCE) {
                throw failure(Optional.of(name), expression, "key column reads a column this change does not carry "
                    + "(an unchanged TOASTed value)", null);
            }
            out.put(name, value);
        }
        return out;
    }

    private int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        throw new IllegalStateException("key column " + column + " is not a target column of " + target);
    }

    private Object evaluate(Optional<String> column, CompiledExpression expression, RowValues values) {
        Collection<String> needs = expression.needs(codecs.keySet());
        try {
            needs.forEach(values::value);
            return TargetValues.toJava(expression.evaluate(values));
        } catch (CelEvaluationException e) {
            FunctionFailure own = functionFailure(e);
            // CEL's wrapper of a Turnout function's failure quotes the arguments; the function's own exception does not.
            throw own != null ? failure(column, expression, own.getMessage(), own)
                : failure(column, expression, celReason(e), e);
        } catch (IllegalArgumentException e) {
            throw failure(column, expression, e.getMessage(), e);
        }
    }

    /**
     * CEL's own failure without what could quote the row: its casts report the text they could not parse
     * ({@code For input string: "abc"}), so a number-format failure is named as such, and any double-quoted run is
     * masked.
     */
    private static String celReason(CelEvaluationException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof NumberFormatException) {
                return "the text is not a number";
            }
        }
        return String.valueOf(e.getMessage()).replaceFirst("^evaluation error at <input>:\\d+: ", "")
            .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "<value>");
    }

    private static FunctionFailure functionFailure(CelEvaluationException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof FunctionFailure failure) {
                return failure;
            }
        }
        return null;
    }

    private MappingEvaluationException failure(Optional<String> column, CompiledExpression expression, String reason,
                                               Throwable cause) {
        return new MappingEvaluationException(source, column, expression.text(), reason, cause);
    }

    @Override
    public String toString() {
        return "TableMapping[" + source + " -> " + target + (identity ? ", copy" : "") + "]";
    }
}
