package dev.turnout.transform;

import static dev.turnout.transform.Eval.USERS;
import static dev.turnout.transform.Eval.USERS_TABLE;
import static dev.turnout.transform.Eval.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.turnout.core.config.TableId;
import dev.turnout.core.config.TurnoutConfig.MappingConfig;

class TableMappingTest {

    private static final TableId ACCOUNTS = TableId.parse("public.accounts");

    private static TableMapping accounts(String where) {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("id", "row.id");
        columns.put("email", "lower(row.email)");
        columns.put("name", "!isBlank(row.display_name) ? row.display_name : part(row.email, '@', 0)");
        return TableMapping.compile(new MappingConfig(USERS_TABLE, ACCOUNTS, List.of("id"), columns,
            Optional.ofNullable(where)), USERS);
    }

    @Test
    void mapsARowToTheTargetTableColumnsInDeclaredOrderWithItsKey() {
        TargetRow mapped = accounts(null).apply(row("email", "Ann@Example.org", "display_name", "Ann")).orElseThrow();
        assertThat(mapped.table()).isEqualTo(ACCOUNTS);
        assertThat(mapped.values()).containsExactly(Map.entry("id", 1L), Map.entry("email", "ann@example.org"),
            Map.entry("name", "Ann"));
        assertThat(mapped.key()).containsExactly(Map.entry("id", 1L));
    }

    @Test
    void describesItsTargetColumnsWithTheirTypes() {
        TableMapping mapping = accounts(null);
        assertThat(mapping.columns()).extracting(TargetColumn::name, TargetColumn::type)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("id", "int"),
                org.assertj.core.groups.Tuple.tuple("email", "string"),
                org.assertj.core.groups.Tuple.tuple("name", "string"));
        assertThat(mapping.key()).containsExactly("id");
        assertThat(mapping.isIdentity()).isFalse();
    }

    @Test
    void whereKeepsRowsForWhichItIsTrueAndDropsFalseAndNull() {
        TableMapping active = accounts("row.active");
        assertThat(active.apply(row("active", true))).isPresent();
        assertThat(active.apply(row("active", false))).isEmpty();
        assertThat(active.apply(row("active", null))).as("null filters out, as in SQL").isEmpty();
    }

    @Test
    void aTableWithoutAMappingIsCopiedWithItsPrimaryKey() {
        TableMapping copy = TableMapping.identity(USERS);
        assertThat(copy.isIdentity()).isTrue();
        assertThat(copy.target()).isEqualTo(USERS_TABLE);
        assertThat(copy.key()).containsExactly("id");
        assertThat(copy.columns()).extracting(TargetColumn::name).containsExactlyElementsOf(USERS.columnNames());
        assertThat(copy.columns().get(1)).isEqualTo(new TargetColumn("email", "row.email", "string"));
        TargetRow mapped = copy.apply(row("amount", new BigDecimal("9.90"), "born_on", 0,
            "avatar", ByteBuffer.wrap(new byte[] {1, 2}))).orElseThrow();
        assertThat(mapped.values()).hasSize(USERS.columns().size())
            .containsEntry("amount", new BigDecimal("9.90"))
            .containsEntry("born_on", java.time.Instant.EPOCH)
            .containsEntry("display_name", null);
        assertThat((byte[]) mapped.values().get("avatar")).containsExactly(1, 2);
    }

    @Test
    void aMappingWithoutColumnsCopiesEveryColumnAndAppliesItsFilter() {
        TableMapping messages = TableMapping.compile(new MappingConfig(USERS_TABLE, null, List.of(), Map.of(),
            Optional.of("row.updated_at == null")), USERS);
        assertThat(messages.columns()).hasSize(USERS.columns().size());
        assertThat(messages.apply(row())).isPresent();
        assertThat(messages.apply(row("updated_at", "2024-01-01T00:00:00Z"))).isEmpty();
    }

    @Test
    void aColumnWhoseNameIsNotAnIdentifierIsReadWithBackQuotes() {
        SourceSchema legacy = SourceSchema.of(TableId.parse("public.legacy"),
            SourceColumn.of("id", "int4", false).inPrimaryKey(1), SourceColumn.of("first-name", "text", true),
            SourceColumn.of("in", "text", true));
        TableMapping mapping = TableMapping.compile(new MappingConfig(legacy.table(), null, List.of(),
            Map.of("id", "row.id", "first_name", "upper(row.`first-name`)"), Optional.empty()), legacy);
        assertThat(mapping.apply(Map.of("id", 1, "first-name", "ann")).orElseThrow().values())
            .containsEntry("first_name", "ANN");
        assertThat(TableMapping.identity(legacy).columns()).extracting(TargetColumn::expression)
            .containsExactly("row.id", "row.`first-name`", "row.`in`");
        assertThat(TableMapping.identity(legacy).apply(Map.of("id", 1, "first-name", "ann", "in", "x")).orElseThrow()
            .values()).containsEntry("first-name", "ann").containsEntry("in", "x");
    }

    @Test
    void numericWithoutScaleArrivesAsDebeziumVariableScaleDecimal() {
        Map<String, Object> variableScale = Map.of("scale", 2, "value", BigInteger.valueOf(-12345).toByteArray());
        assertThat(Eval.eval("row.amount", row("amount", variableScale))).isEqualTo(new BigDecimal("-123.45"));
    }

    @Test
    void aColumnMissingFromTheRowReadsAsNull() {
        Map<String, Object> row = new java.util.HashMap<>(row());
        row.remove("display_name");
        assertThat(accounts(null).apply(row).orElseThrow().values().get("name")).isEqualTo("ann");
    }

    @Test
    void aColumnComputedFromAnUnchangedToastedValueIsUnavailable() {
        TargetRow mapped = accounts(null).apply(row("display_name", UnavailableValue.DEBEZIUM_PLACEHOLDER)).orElseThrow();
        assertThat(mapped.values().get("name")).isSameAs(UnavailableValue.INSTANCE);
        assertThat(mapped.values().get("email")).isEqualTo("ann@example.org");

        byte[] placeholderBytes = UnavailableValue.DEBEZIUM_PLACEHOLDER.getBytes(StandardCharsets.UTF_8);
        TargetRow copied = TableMapping.identity(USERS).apply(row("avatar", placeholderBytes)).orElseThrow();
        assertThat(copied.values().get("avatar")).isSameAs(UnavailableValue.INSTANCE);
    }

    @Test
    void aFilterThatReadsAnUnchangedToastedValueFailsTheRow() {
        assertThatThrownBy(() -> accounts("row.display_name != 'x'")
            .apply(row("display_name", UnavailableValue.DEBEZIUM_PLACEHOLDER)))
            .isInstanceOf(MappingEvaluationException.class)
            .hasMessage("public.users: where = row.display_name != 'x': reads column display_name, which this change "
                + "does not carry (an unchanged TOASTed value), so the filter cannot be decided");
    }

    @Test
    void anExpressionFailingOnARowIsATypedExceptionNamingColumnExpressionAndCause() {
        TableMapping mapping = Eval.mapping("row.level / (row.level - 1)");
        MappingEvaluationException e = org.junit.jupiter.api.Assertions.assertThrows(MappingEvaluationException.class,
            () -> mapping.apply(row("level", 1)));
        assertThat(e.table()).isEqualTo(USERS_TABLE);
        assertThat(e.column()).hasValue("v");
        assertThat(e.expression()).isEqualTo("row.level / (row.level - 1)");
        assertThat(e.getCause()).isInstanceOf(dev.cel.runtime.CelEvaluationException.class);
        assertThat(e).hasMessage("public.users: column v = row.level / (row.level - 1): / by zero");
    }

    @Test
    void aNullOperandOfABuiltInOperatorFailsTheRow() {
        assertThatThrownBy(() -> Eval.eval("row.display_name + '!'", row("display_name", null)))
            .isInstanceOf(MappingEvaluationException.class)
            .hasMessageContaining("column v = row.display_name + '!': No matching overload for function '_+_'");
    }

    @Test
    void aRawValueOfTheWrongTypeFailsTheRowNamingTheColumn() {
        assertThatThrownBy(() -> Eval.eval("row.level + 1", row("level", "forty")))
            .isInstanceOf(MappingEvaluationException.class)
            .hasMessage("public.users: column v = row.level + 1: column level: a int4 column cannot hold a "
                + "java.lang.String");
    }

    @Test
    void aNullKeyFailsTheRow() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("handle", "before(row.display_name, ' ')");
        TableMapping byHandle = TableMapping.compile(new MappingConfig(USERS_TABLE, ACCOUNTS, List.of("handle"), columns,
            Optional.empty()), USERS);
        assertThatThrownBy(() -> byHandle.apply(row("display_name", null)))
            .isInstanceOf(MappingEvaluationException.class)
            .hasMessage("public.users: column handle = before(row.display_name, ' '): key column is null");
    }

    @Test
    void aComprehensionIsBoundedSoNoExpressionRunsAway() {
        String commas = ",".repeat(20_000);
        assertThat(Eval.eval("size(split(row.display_name, ',').filter(p, p == ''))", row("display_name", ",,")))
            .isEqualTo(3L);
        assertThatThrownBy(() -> Eval.eval("size(split(row.display_name, ',').filter(p, p == ''))",
            row("display_name", commas)))
            .isInstanceOf(MappingEvaluationException.class)
            .hasMessageContaining("Iteration budget exceeded: 10000");
    }

    @Test
    void keyOfComputesOnlyTheKeyFromADeletesBeforeImage() {
        Map<String, Object> before = new java.util.HashMap<>();
        before.put("id", 42L);
        assertThat(accounts(null).keyOf(before)).containsExactly(Map.entry("id", 42L));
    }

    @Test
    void aMappingIsSafeToShareBetweenThreads() throws Exception {
        TableMapping mapping = accounts(null);
        List<java.util.concurrent.Callable<String>> tasks = new java.util.ArrayList<>();
        for (int t = 0; t < 8; t++) {
            long id = t;
            tasks.add(() -> {
                String last = null;
                for (int i = 0; i < 500; i++) {
                    last = (String) mapping.apply(Map.of("id", id, "email", "u" + id + "@x.org")).orElseThrow()
                        .values().get("name");
                }
                return last;
            });
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<String>> results = pool.invokeAll(tasks);
            for (int t = 0; t < 8; t++) {
                assertThat(results.get(t).get()).isEqualTo("u" + t);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aKeyComputedFromPrimaryKeyColumnsOnlyFollowsTheSourceKey() {
        assertThat(accounts(null).keyFollowsSourceKey()).isTrue();
        assertThat(TableMapping.identity(USERS).keyFollowsSourceKey()).isTrue();
        assertThat(TableMapping.identity(USERS).sourceKey()).containsExactly("id");
        assertThat(TableMapping.identity(USERS).sourceColumns()).isEqualTo(USERS.columnNames());

        Map<String, String> byEmail = new LinkedHashMap<>();
        byEmail.put("email", "lower(row.email)");
        byEmail.put("id", "row.id");
        TableMapping keyedByEmail = TableMapping.compile(new MappingConfig(USERS_TABLE, ACCOUNTS, List.of("email"),
            byEmail, Optional.empty()), USERS);
        assertThat(keyedByEmail.keyFollowsSourceKey()).isFalse();

        Map<String, String> derivedFromId = new LinkedHashMap<>();
        derivedFromId.put("ref", "concat('u-', row.id)");
        TableMapping keyedById = TableMapping.compile(new MappingConfig(USERS_TABLE, ACCOUNTS, List.of("ref"),
            derivedFromId, Optional.empty()), USERS);
        assertThat(keyedById.keyFollowsSourceKey()).isTrue();
    }
}
