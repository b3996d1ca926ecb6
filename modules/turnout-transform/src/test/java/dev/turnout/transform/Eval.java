package dev.turnout.transform;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.turnout.core.config.ConfigException;
import dev.turnout.core.config.ConfigProblem;
import dev.turnout.core.config.TableId;
import dev.turnout.core.config.TurnoutConfig.MappingConfig;

/** Evaluates one expression over a row of a users table with columns of the common PostgreSQL types. */
final class Eval {

    static final TableId USERS_TABLE = TableId.parse("public.users");

    static final SourceSchema USERS = SourceSchema.of(USERS_TABLE,
        SourceColumn.of("id", "int8", false).inPrimaryKey(1),
        SourceColumn.of("email", "text", false),
        SourceColumn.of("display_name", "varchar", true),
        SourceColumn.of("amount", "numeric", true),
        SourceColumn.of("score", "float8", true),
        SourceColumn.of("ratio", "float4", true),
        SourceColumn.of("active", "bool", true),
        SourceColumn.of("level", "int4", true),
        SourceColumn.of("born_on", "date", true),
        SourceColumn.of("created_at", "timestamp", true).withDatetimePrecision(6),
        SourceColumn.of("seen_at", "timestamp", true).withDatetimePrecision(3),
        SourceColumn.of("updated_at", "timestamptz", true).withDatetimePrecision(6),
        SourceColumn.of("starts", "time", true).withDatetimePrecision(6),
        SourceColumn.of("login_ms", "int8", true),
        SourceColumn.of("payload", "jsonb", true),
        SourceColumn.of("avatar", "bytea", true),
        SourceColumn.of("tags", "_text", true),
        SourceColumn.of("born", "text", true));

    private Eval() {
    }

    /** The value of {@code expression} as target column {@code v}. */
    static Object eval(String expression, Map<String, ?> row) {
        return mapping(expression).apply(row).orElseThrow().values().get("v");
    }

    static Object eval(String expression) {
        return eval(expression, row());
    }

    static TableMapping mapping(String expression) {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("id", "row.id");
        columns.put("v", expression);
        return TableMapping.compile(new MappingConfig(USERS_TABLE, null, List.of(), columns, Optional.empty()), USERS);
    }

    /** The problems compiling {@code expression} as column {@code v} reports, as displayed. */
    static List<String> problems(String expression) {
        try {
            mapping(expression);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected " + expression + " to be rejected");
    }

    /** A row with id 1 and email ann@example.org, plus the given column/value pairs (values may be null). */
    static Map<String, Object> row(Object... pairs) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", 1L);
        row.put("email", "ann@example.org");
        for (int i = 0; i < pairs.length; i += 2) {
            row.put((String) pairs[i], pairs[i + 1]);
        }
        return row;
    }
}
