package dev.turnout.transform.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

import io.debezium.schema.SchemaNameAdjuster;

class AvroFieldNamesTest {

    /** Column names PostgreSQL allows (quoted) that Avro does not. */
    private static final List<String> NAMES = List.of("id", "first-name", "1st", "a.b", "größe", "_x", "$amount",
        "with space", "9", "CamelCase", "x$y");

    @Test
    void adjustsNamesAsDebeziumsAvroFieldNamerDoes() {
        for (String name : NAMES) {
            assertThat(AvroFieldNames.adjust(name)).as(name)
                .isEqualTo(SchemaNameAdjuster.AVRO_FIELD_NAMER.adjust(name));
        }
    }

    @Test
    void aRowImageIsReadUnderTheCatalogsColumnNames() {
        Schema schema = SchemaBuilder.struct()
            .field("id", Schema.INT32_SCHEMA)
            .field("first_name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("_1st", Schema.OPTIONAL_BOOLEAN_SCHEMA)
            .field("added_later", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
        Struct image = new Struct(schema).put("id", 7).put("first_name", "Ada").put("_1st", true).put("added_later", "x");

        Map<String, Object> row = new RowReader(List.of("id", "first-name", "1st")).read(image);

        assertThat(row).containsEntry("id", 7).containsEntry("first-name", "Ada").containsEntry("1st", true)
            .containsEntry("added_later", "x").doesNotContainKeys("first_name", "_1st");
    }
}
