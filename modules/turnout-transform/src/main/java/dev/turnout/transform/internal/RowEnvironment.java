package dev.turnout.transform.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.StructType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.turnout.transform.SourceColumn;
import dev.turnout.transform.SourceSchema;

/**
 * The CEL environment of one source table: a single variable {@code row}, typed as a struct whose fields are the
 * table's columns with their CEL types, CEL's standard functions and Turnout's {@link FunctionLibrary}. Nothing else
 * is reachable from an expression: no Java classes, no I/O, no reflection, no protobuf types, and comprehensions are
 * bounded. Immutable and thread-safe once built.
 */
public final class RowEnvironment {

    /** The variable an expression reads the source row through. */
    public static final String ROW = "row";

    /** Bounds {@code all}/{@code exists}/{@code map}/{@code filter} over a list, so no expression runs away. */
    private static final int MAX_ITERATIONS = 10_000;

    private static final CelOptions OPTIONS = CelOptions.current()
        // null as CEL's NullValue and bytes as CelByteString, not protobuf's forms.
        .evaluateCanonicalTypesToNativeValues(true)
        // row.`first-name` for columns whose names are not CEL identifiers.
        .enableQuotedIdentifierSyntax(true)
        // row.id > 1.5 and row.price > 0 compare across int and double as SQL would.
        .enableHeterogeneousNumericComparisons(true)
        .comprehensionMaxIterations(MAX_ITERATIONS)
        .build();

    private final SourceSchema schema;
    private final Map<String, ColumnCodec> codecs;
    private final Cel cel;

    private RowEnvironment(SourceSchema schema) {
        this.schema = schema;
        Map<String, ColumnCodec> byName = new LinkedHashMap<>();
        for (SourceColumn c : schema.columns()) {
            byName.put(c.name(), ColumnCodec.of(c.type(), c.datetimePrecision(), c.nullable()));
        }
        this.codecs = java.util.Collections.unmodifiableMap(byName);
        Map<String, CelType> fieldTypes = new LinkedHashMap<>();
        codecs.forEach((name, codec) -> fieldTypes.put(name, codec.celType()));
        // Named after the table, so type errors read "applied to '(public.users, int)'".
        StructType rowType = StructType.create(schema.table().toString(), ImmutableSet.copyOf(fieldTypes.keySet()),
            name -> Optional.ofNullable(fieldTypes.get(name)));
        FunctionLibrary library = FunctionLibrary.instance();
        this.cel = CelFactory.standardCelBuilder()
            .setOptions(OPTIONS)
            // has(row.x), and all/exists/exists_one/map/filter over lists (bounded by MAX_ITERATIONS).
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .setTypeProvider(new RowTypeProvider(rowType))
            .addVar(ROW, rowType)
            .addFunctionDeclarations(library.declarations())
            .addFunctionBindings(library.bindings())
            .build();
    }

    public static RowEnvironment of(SourceSchema schema) {
        return new RowEnvironment(schema);
    }

    public SourceSchema schema() {
        return schema;
    }

    /** How each column's raw values become CEL values, by column name. */
    public Map<String, ColumnCodec> codecs() {
        return codecs;
    }

    /** Parses without type-checking; errors are syntax errors. */
    public CelValidationResult parse(String expression) {
        return cel.parse(expression);
    }

    /** Type-checks a parsed expression against the row's column types. */
    public CelValidationResult check(CelAbstractSyntaxTree parsed) {
        return cel.check(parsed);
    }

    /** A program for a checked expression; programs are immutable and may be evaluated from many threads. */
    public CelRuntime.Program program(CelAbstractSyntaxTree checked) {
        try {
            return cel.createProgram(checked);
        } catch (CelEvaluationException e) {
            throw new IllegalStateException("a checked expression did not plan: " + e.getMessage(), e);
        }
    }

    private static final class RowTypeProvider implements CelTypeProvider {
        private final StructType rowType;

        RowTypeProvider(StructType rowType) {
            this.rowType = rowType;
        }

        @Override
        public ImmutableList<CelType> types() {
            return ImmutableList.of(rowType);
        }

        @Override
        public Optional<CelType> findType(String typeName) {
            return rowType.name().equals(typeName) ? Optional.of(rowType) : Optional.empty();
        }
    }
}
