package dev.turnout.transform;

import static dev.turnout.transform.Eval.USERS;
import static dev.turnout.transform.Eval.USERS_TABLE;
import static dev.turnout.transform.Eval.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.turnout.core.config.ConfigException;
import dev.turnout.core.config.ConfigProblem;
import dev.turnout.core.config.TableId;
import dev.turnout.core.config.TurnoutConfig.MappingConfig;

/** What compiling a mapping against its source schema rejects, and how it says so (paths relative to the mapping). */
class MappingCompilationProblemsTest {

    private static List<String> problemsOf(MappingConfig mapping, SourceSchema schema) {
        try {
            TableMapping.compile(mapping, schema);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected the mapping to be rejected");
    }

    @Test
    void anUnknownColumnIsNamedWithTheTableAndANearName() {
        assertThat(problems("row.display_nme")).containsExactly(
            "mapping of public.users: columns.v: unknown column 'display_nme' in public.users; did you mean 'display_name'?");
    }

    @Test
    void anUnknownColumnWithNothingNearIsNamedWithoutSuggestion() {
        assertThat(problems("lower(row.zzzzzz)")).containsExactly(
            "mapping of public.users: columns.v: unknown column 'zzzzzz' in public.users");
    }

    @Test
    void aTypeErrorIsFoundAtLoadWithItsPosition() {
        assertThat(problems("row.email + 1")).containsExactly(
            "mapping of public.users: columns.v: type error at character 11: found no matching overload for '_+_' "
                + "applied to '(string, int)'");
    }

    @Test
    void aSyntaxErrorIsFoundAtLoadWithItsPosition() {
        assertThat(problems("row.id +")).singleElement().asString()
            .startsWith("mapping of public.users: columns.v: syntax error at character 9: mismatched input '<EOF>'");
    }

    @Test
    void aPositionInAMultiLineExpressionNamesItsLine() {
        assertThat(problems("row.id +\n  row.email")).singleElement().asString()
            .contains("type error at line 1, character 8");
    }

    @Test
    void aBareColumnNameIsPointedAtRow() {
        assertThat(problems("display_name")).containsExactly(
            "mapping of public.users: columns.v: type error at character 1: undeclared reference to 'display_name'; "
                + "columns are read through row: did you mean 'row.display_name'?");
    }

    @Test
    void aMisspeltFunctionGetsANearName() {
        assertThat(problems("lowr(row.email)")).singleElement().asString()
            .endsWith("undeclared reference to 'lowr'; did you mean 'lower'?");
    }

    @Test
    void javaClassesAndReflectionAreOutOfReach() {
        assertThat(problems("row.email.getClass()")).singleElement().asString()
            .contains("undeclared reference to 'getClass'");
        assertThat(problems("java.lang.System.exit(1)")).containsExactly(
            "mapping of public.users: columns.v: type error at character 1: undeclared reference to 'java'",
            "mapping of public.users: columns.v: type error at character 22: undeclared reference to 'exit'");
    }

    @Test
    void aWhereThatIsNotBooleanIsRejected() {
        MappingConfig mapping = new MappingConfig(USERS_TABLE, null, List.of(), Map.of(), Optional.of("row.email"));
        assertThat(problemsOf(mapping, USERS)).containsExactly(
            "mapping of public.users: where: where must be a boolean predicate over row, but this expression is a string");
    }

    @Test
    void aDeclaredKeyMustBeATargetColumn() {
        MappingConfig mapping = new MappingConfig(USERS_TABLE, null, List.of("uid"), Map.of("id", "row.id"),
            Optional.empty());
        assertThat(problemsOf(mapping, USERS)).containsExactly(
            "mapping of public.users: key[0]: key column 'uid' is not among the target columns; did you mean 'id'?");
    }

    @Test
    void aDeclaredKeyOfCopiedColumnsMustBeASourceColumn() {
        MappingConfig mapping = new MappingConfig(USERS_TABLE, null, List.of("emial"), Map.of(), Optional.empty());
        assertThat(problemsOf(mapping, USERS)).containsExactly(
            "mapping of public.users: key[0]: unknown column 'emial' in public.users; did you mean 'email'?");
    }

    @Test
    void theDefaultKeyMustBeAmongTheTargetColumns() {
        MappingConfig mapping = new MappingConfig(USERS_TABLE, null, List.of(), Map.of("email", "row.email"),
            Optional.empty());
        assertThat(problemsOf(mapping, USERS)).containsExactly(
            "mapping of public.users: columns: the target key defaults to the primary key of public.users (id), but "
                + "the columns do not include 'id'; add it or declare key");
    }

    @Test
    void aTableWithoutPrimaryKeyNeedsADeclaredKey() {
        SourceSchema logs = SourceSchema.of(TableId.parse("public.logs"), SourceColumn.of("line", "text", true));
        assertThat(problemsOf(new MappingConfig(logs.table(), null, List.of(), Map.of(), Optional.empty()), logs))
            .containsExactly("mapping of public.logs: from: public.logs has no primary key, and every target row "
                + "needs a key; declare key");
        assertThat(TableMapping.compile(new MappingConfig(logs.table(), null, List.of("line"), Map.of(),
            Optional.empty()), logs).key()).containsExactly("line");
    }

    @Test
    void everyProblemIsReportedInOnePass() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("id", "row.id");
        columns.put("name", "row.display_nme");
        columns.put("score", "row.email + 1");
        columns.put("bad", "row.(");
        MappingConfig mapping = new MappingConfig(USERS_TABLE, null, List.of(), columns, Optional.of("row.level"));
        assertThat(problemsOf(mapping, USERS)).extracting(p -> p.substring(0, p.indexOf(": ", 24)))
            .containsExactly("mapping of public.users: columns.name", "mapping of public.users: columns.score",
                "mapping of public.users: columns.bad", "mapping of public.users: where");
    }
}
