package dev.turnout.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class AvroCompatibilityTest {

    static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }

    static final Schema USER = parse("""
        {"type":"record","name":"User","fields":[{"name":"id","type":"long"}]}""");
    static final Schema USER_REQUIRED_EMAIL = parse("""
        {"type":"record","name":"User","fields":[{"name":"id","type":"long"},{"name":"email","type":"string"}]}""");
    static final Schema USER_OPTIONAL_EMAIL = parse("""
        {"type":"record","name":"User","fields":[{"name":"id","type":"long"},
         {"name":"email","type":["null","string"],"default":null}]}""");

    @Test
    void backwardNamesTheNewFieldWithoutDefault() {
        List<String> problems = AvroCompatibility.incompatibilities(CompatibilityLevel.BACKWARD, USER_REQUIRED_EMAIL,
            List.of(USER));

        assertThat(problems).containsExactly("READER_FIELD_MISSING_DEFAULT_VALUE at /fields/1: field 'email' has no"
            + " default value in the new schema and is missing in the old one");
    }

    @Test
    void backwardAcceptsAnOptionalFieldWithDefault() {
        assertThat(AvroCompatibility.isCompatible(CompatibilityLevel.BACKWARD, USER_OPTIONAL_EMAIL, List.of(USER)))
            .isTrue();
    }

    @Test
    void forwardReadsTheNewSchemasDataWithTheOldSchema() {
        List<String> problems = AvroCompatibility.incompatibilities(CompatibilityLevel.FORWARD, USER,
            List.of(USER_REQUIRED_EMAIL));

        assertThat(problems).containsExactly("READER_FIELD_MISSING_DEFAULT_VALUE at /fields/1: field 'email' has no"
            + " default value in the old schema and is missing in the new one");
        assertThat(AvroCompatibility.isCompatible(CompatibilityLevel.FORWARD, USER_REQUIRED_EMAIL, List.of(USER)))
            .isTrue();
    }

    @Test
    void fullReportsBothDirections() {
        Schema renamedField = parse("""
            {"type":"record","name":"User","fields":[{"name":"key","type":"long"}]}""");

        List<String> problems = AvroCompatibility.incompatibilities(CompatibilityLevel.FULL, renamedField, List.of(USER));

        assertThat(problems).containsExactly(
            "READER_FIELD_MISSING_DEFAULT_VALUE at /fields/0: field 'key' has no default value in the new schema and is"
                + " missing in the old one",
            "READER_FIELD_MISSING_DEFAULT_VALUE at /fields/0: field 'id' has no default value in the old schema and is"
                + " missing in the new one");
    }

    @Test
    void noneAndAnEmptyHistoryAcceptEverything() {
        Schema string = parse("\"string\"");

        assertThat(AvroCompatibility.incompatibilities(CompatibilityLevel.NONE, string, List.of(USER))).isEmpty();
        assertThat(AvroCompatibility.incompatibilities(CompatibilityLevel.FULL_TRANSITIVE, string, List.of())).isEmpty();
    }

    @Test
    void transitiveChecksEveryEarlierSchemaAndPlainOnlyTheLatest() {
        Schema v1 = parse("""
            {"type":"record","name":"A","fields":[{"name":"id","type":"string"}]}""");
        Schema v2 = parse("""
            {"type":"record","name":"A","fields":[]}""");
        Schema v3 = parse("""
            {"type":"record","name":"A","fields":[{"name":"id","type":"int","default":0}]}""");

        assertThat(AvroCompatibility.incompatibilities(CompatibilityLevel.BACKWARD, v3, List.of(v1, v2))).isEmpty();
        assertThat(AvroCompatibility.incompatibilities(CompatibilityLevel.BACKWARD_TRANSITIVE, v3, List.of(v1, v2)))
            .containsExactly("TYPE_MISMATCH at /fields/0/type: field 'id' is int in the new schema, which cannot read"
                + " string written with the old one");
    }

    @Test
    void nestedFieldsAreNamedByTheirPath() {
        Schema old = parse("""
            {"type":"record","name":"Order","fields":[{"name":"address","type":
              {"type":"record","name":"Address","fields":[{"name":"zip","type":"string"}]}}]}""");
        Schema changed = parse("""
            {"type":"record","name":"Order","fields":[{"name":"address","type":
              {"type":"record","name":"Address","fields":[{"name":"zip","type":"long"}]}}]}""");

        List<String> problems = AvroCompatibility.incompatibilities(CompatibilityLevel.BACKWARD, changed, List.of(old));

        assertThat(problems).singleElement().asString()
            .startsWith("TYPE_MISMATCH at /fields/0/type/fields/0/type: field 'address.zip' is long in the new schema");
    }

    @Test
    void enumSymbolsMissingFromTheReaderAreListed() {
        Schema oldEnum = parse("""
            {"type":"enum","name":"Colour","symbols":["RED","GREEN","BLUE"]}""");
        Schema newEnum = parse("""
            {"type":"enum","name":"Colour","symbols":["RED","GREEN"]}""");

        List<String> problems = AvroCompatibility.incompatibilities(CompatibilityLevel.BACKWARD, newEnum, List.of(oldEnum));

        assertThat(problems).singleElement().asString().startsWith("MISSING_ENUM_SYMBOLS at /symbols: the schema:")
            .contains("[BLUE]");
    }
}
