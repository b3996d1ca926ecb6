package dev.turnout.transform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.turnout.core.config.TurnoutConfig.MappingConfig;
import dev.turnout.core.config.Suggestions;
import dev.turnout.transform.internal.CelTypeNames;
import dev.turnout.transform.internal.ColumnReferences;
import dev.turnout.transform.internal.ConstantArguments;
import dev.turnout.transform.internal.FunctionLibrary;
import dev.turnout.transform.internal.RowEnvironment;

/**
 * Compiles the mapping of one source table against its schema, reporting every problem to {@link Problems} under the
 * key path it concerns. Confined to one thread; one instance per table.
 */
final class MappingCompiler {

    private static final Pattern UNDECLARED = Pattern.compile("undeclared reference to '([^']+)'");

    /** Names an unknown function is compared with: Turnout's and the standard functions users reach for. */
    private static final List<String> FUNCTION_NAMES = functionNames();

    private final SourceSchema schema;
    private final RowEnvironment env;
    private final String prefix;
    private final String tablePath;
    private final Problems problems;

    /**
     * @param prefix    key path of the mapping, ending in '.' ({@code mappings[0].}), or empty
     * @param tablePath where a problem with the table itself goes ({@code mappings[0].from}, {@code source.tables[2]})
     */
    MappingCompiler(SourceSchema schema, String prefix, String tablePath, Problems problems) {
        this.schema = schema;
        this.env = RowEnvironment.of(schema);
        this.prefix = prefix;
        this.tablePath = tablePath;
        this.problems = problems;
    }

    /** The mapping's compiled form; meaningful only if no problem was reported. */
    TableMapping compile(MappingConfig mapping) {
        Map<String, CompiledExpression> columns = new LinkedHashMap<>();
        if (mapping.columns().isEmpty()) {
            columns.putAll(copies());
        } else {
            mapping.columns().forEach((name, text) ->
                expression(prefix + "columns." + ConfigPaths.key(name), text).ifPresent(e -> columns.put(name, e)));
        }
        Optional<CompiledExpression> where = mapping.where().flatMap(text -> predicate(prefix + "where", text));
        List<String> key = key(mapping, columns.keySet());
        return new TableMapping(schema.table(), mapping.to(), columns, key, where, env.codecs(), schema, false);
    }

    /** The copy of a table without a mapping. */
    TableMapping identity() {
        Map<String, CompiledExpression> columns = copies();
        List<String> key = primaryKey(columns.keySet(), "add a mapping for it with key");
        return new TableMapping(schema.table(), schema.table(), columns, key, Optional.empty(), env.codecs(), schema,
            true);
    }

    private Map<String, CompiledExpression> copies() {
        Map<String, CompiledExpression> columns = new LinkedHashMap<>();
        for (SourceColumn c : schema.columns()) {
            ColumnReferences reads = new ColumnReferences(Set.of(c.name()), false, Optional.of(c.name()));
            String text = RowEnvironment.ROW + "." + ConfigPaths.celField(c.name());
            columns.put(c.name(), new CompiledExpression(text, reads, Optional.empty(),
                CelTypeNames.of(env.codecs().get(c.name()).celType())));
        }
        return columns;
    }

    private List<String> key(MappingConfig mapping, Set<String> targetColumns) {
        if (mapping.key().isEmpty()) {
            return primaryKey(targetColumns, "declare " + prefix + "key");
        }
        boolean copied = mapping.columns().isEmpty();
        for (int i = 0; i < mapping.key().size(); i++) {
            String column = mapping.key().get(i);
            if (copied && schema.column(column).isEmpty()) {
                problems.add(prefix + "key[" + i + "]", unknownColumn(column));
            } else if (!copied && !mapping.columns().containsKey(column)) {
                problems.add(prefix + "key[" + i + "]", "key column '" + column + "' is not among the target columns"
                    + Suggestions.didYouMean(column, mapping.columns().keySet()));
            }
        }
        return mapping.key();
    }

    /** The source primary key as the target key, when every key column is a target column of the same name. */
    private List<String> primaryKey(Set<String> targetColumns, String fix) {
        List<String> key = schema.primaryKey().stream().map(SourceColumn::name).toList();
        if (key.isEmpty()) {
            problems.add(tablePath, schema.table() + " has no primary key, and every target row needs a key; " + fix);
        } else if (!targetColumns.containsAll(key)) {
            List<String> missing = key.stream().filter(k -> !targetColumns.contains(k)).toList();
            problems.add(prefix + "columns", "the target key defaults to the primary key of " + schema.table() + " ("
                + String.join(", ", key) + "), but the columns do not include " + quoted(missing)
                + "; add " + (missing.size() == 1 ? "it" : "them") + " or declare " + prefix + "key");
        }
        return key;
    }

    private Optional<CompiledExpression> predicate(String path, String text) {
        Optional<CompiledExpression> compiled = expression(path, text);
        if (compiled.isPresent()) {
            String type = compiled.get().type();
            if (!type.equals("bool") && !type.equals("dyn")) {
                problems.add(path, "where must be a boolean predicate over row, but this expression is a " + type);
                return Optional.empty();
            }
        }
        return compiled;
    }

    private Optional<CompiledExpression> expression(String path, String text) {
        CelValidationResult parsed = env.parse(text);
        if (parsed.hasError()) {
            parsed.getErrors().forEach(issue -> problems.add(path, "syntax error" + at(issue, text) + ": "
                + issue.getMessage()));
            return Optional.empty();
        }
        CelAbstractSyntaxTree ast = ast(parsed);
        ColumnReferences reads = ColumnReferences.of(ast);
        boolean unknown = false;
        for (String column : reads.columns()) {
            if (schema.column(column).isEmpty()) {
                problems.add(path, unknownColumn(column));
                unknown = true;
            }
        }
        if (unknown) {
            // The checker would report the same columns again, less helpfully.
            return Optional.empty();
        }
        CelValidationResult checked = env.check(ast);
        if (checked.hasError()) {
            checked.getErrors().forEach(issue -> problems.add(path, "type error" + at(issue, text) + ": "
                + typeMessage(issue.getMessage())));
            return Optional.empty();
        }
        List<String> literals = ConstantArguments.problems(ast);
        literals.forEach(message -> problems.add(path, message));
        if (!literals.isEmpty()) {
            return Optional.empty();
        }
        CelAbstractSyntaxTree typed = ast(checked);
        CelType type = typed.getResultType();
        return Optional.of(new CompiledExpression(text, reads,
            reads.copyOf().isPresent() ? Optional.empty() : Optional.of(env.program(typed)),
            type.kind() == CelKind.DYN ? "dyn" : CelTypeNames.of(type)));
    }

    private String unknownColumn(String column) {
        return "unknown column '" + column + "' in " + schema.table()
            + Suggestions.didYouMean(column, schema.columnNames());
    }

    /** CEL's message without what only clutters a config error, plus a hint for the common slips. */
    private String typeMessage(String message) {
        String cleaned = message.replace(" (in container '')", "").replaceAll(" \\(candidates: .*\\)$", "");
        Matcher undeclared = UNDECLARED.matcher(cleaned);
        if (undeclared.find()) {
            String name = undeclared.group(1);
            if (schema.column(name).isPresent()) {
                return cleaned + "; columns are read through row: did you mean 'row." + name + "'?";
            }
            return cleaned + Suggestions.didYouMean(name, FUNCTION_NAMES);
        }
        return cleaned;
    }

    private static String at(CelIssue issue, String text) {
        int line = issue.getSourceLocation().getLine();
        int column = issue.getSourceLocation().getColumn();
        if (line < 1 || column < 0) {
            return "";
        }
        return text.contains("\n") ? " at line " + line + ", character " + (column + 1) : " at character " + (column + 1);
    }

    private static CelAbstractSyntaxTree ast(CelValidationResult result) {
        try {
            return result.getAst();
        } catch (dev.cel.common.CelValidationException e) {
            throw new IllegalStateException("CEL reported no error but gave no tree", e);
        }
    }

    private static String quoted(List<String> names) {
        return String.join(", ", names.stream().map(n -> "'" + n + "'").toList());
    }

    private static List<String> functionNames() {
        List<String> names = new ArrayList<>(List.of("size", "matches", "startsWith", "endsWith", "contains", "int",
            "uint", "double", "string", "bytes", "bool", "timestamp", "duration", "dyn", "type", "has"));
        FunctionLibrary.instance().declarations().forEach(d -> {
            if (!d.name().startsWith("_") && !names.contains(d.name())) {
                names.add(d.name());
            }
        });
        return List.copyOf(names);
    }
}
