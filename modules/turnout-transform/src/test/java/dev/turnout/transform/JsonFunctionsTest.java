package dev.turnout.transform;

import static dev.turnout.transform.Eval.eval;
import static dev.turnout.transform.Eval.problems;
import static dev.turnout.transform.Eval.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonFunctionsTest {

    private static final String PAYLOAD = """
        {"user": {"name": "Ann", "age": 41, "score": 9.5, "vip": true, "tags": ["a", "b"], "note": null},
         "a.b": "dotted", "items": [{"id": 7}, {"id": 8}]}""";

    @Test
    void jsonReadsAFieldByDottedPath() {
        assertThat(eval("json(row.payload, 'user.name')", row("payload", PAYLOAD))).isEqualTo("Ann");
        assertThat(eval("json(row.payload, 'user.age')", row("payload", PAYLOAD))).isEqualTo(41L);
        assertThat(eval("json(row.payload, 'user.score')", row("payload", PAYLOAD))).isEqualTo(9.5);
        assertThat(eval("json(row.payload, 'user.vip')", row("payload", PAYLOAD))).isEqualTo(true);
        assertThat(eval("json(row.payload, 'user.tags')", row("payload", PAYLOAD))).isEqualTo(List.of("a", "b"));
        assertThat(eval("json(row.payload, 'items')", row("payload", PAYLOAD)))
            .isEqualTo(List.of(Map.of("id", 7L), Map.of("id", 8L)));
    }

    @Test
    void jsonIndexesArraysEitherWay() {
        assertThat(eval("json(row.payload, 'items[1].id')", row("payload", PAYLOAD))).isEqualTo(8L);
        assertThat(eval("json(row.payload, 'items.0.id')", row("payload", PAYLOAD))).isEqualTo(7L);
    }

    @Test
    void jsonPointerReachesKeysWithDots() {
        assertThat(eval("json(row.payload, '/a.b')", row("payload", PAYLOAD))).isEqualTo("dotted");
    }

    @Test
    void aMissingPathJsonNullOrNullColumnGiveNull() {
        assertThat(eval("json(row.payload, 'user.nope')", row("payload", PAYLOAD))).isNull();
        assertThat(eval("json(row.payload, 'user.note')", row("payload", PAYLOAD))).isNull();
        assertThat(eval("json(row.payload, 'user.name')", row("payload", null))).isNull();
    }

    @Test
    void jsonTextGivesTextAsPostgresArrowArrowDoes() {
        assertThat(eval("jsonText(row.payload, 'user.age')", row("payload", PAYLOAD))).isEqualTo("41");
        assertThat(eval("jsonText(row.payload, 'user.tags')", row("payload", PAYLOAD))).isEqualTo("[\"a\",\"b\"]");
        assertThat(eval("jsonText(row.payload, 'user.note')", row("payload", PAYLOAD))).isNull();
    }

    @Test
    void jsonValuesTakePartInExpressions() {
        assertThat(eval("json(row.payload, 'user.age') >= 18 && json(row.payload, 'user.name') == 'Ann'",
            row("payload", PAYLOAD))).isEqualTo(true);
        assertThat(eval("lower(jsonText(row.payload, 'user.name'))", row("payload", PAYLOAD))).isEqualTo("ann");
    }

    @Test
    void textThatIsNotJsonFailsTheRowWithoutQuotingIt() {
        assertThatThrownBy(() -> eval("json(row.payload, 'a')", row("payload", "{secret")))
            .isInstanceOf(MappingEvaluationException.class)
            .hasMessageContaining("json(): the value is not JSON (line 1, column")
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }

    @Test
    void aLiteralPathWithAnEmptyPartIsRejectedAtLoad() {
        assertThat(problems("json(row.payload, 'user..name')")).singleElement().asString()
            .endsWith("columns.v: json(): JSON path 'user..name' has an empty part");
    }
}
