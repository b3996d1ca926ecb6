package dev.turnout.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.turnout.core.config.internal.KeyPath;

/** Checks made after loading (mappings against the source catalog) locate their problems through {@link LoadedConfig}. */
class LoadedConfigLocatesKeysTest {

    private static final String YAML = ConfigLoaderTest.MINIMAL + """
        mappings:
          - from: public.users
            to: public.accounts
            columns:
              id: row.id
              "pay$rate": row.rate
        """;

    private final LoadedConfig loaded = ConfigLoader.parse("turnout.yaml", YAML, Map.of());

    @Test
    void locatesTheValueOfAKeyByItsDisplayedPath() {
        assertThat(loaded.locate("mappings[0].columns.id")).isEqualTo(new LoadedConfig.Location(15, 11));
        assertThat(loaded.locate("mappings[0].to")).isEqualTo(new LoadedConfig.Location(13, 9));
        assertThat(loaded.locate("source.tables[0]")).isEqualTo(new LoadedConfig.Location(7, 12));
    }

    @Test
    void locatesAQuotedKey() {
        assertThat(loaded.locate("mappings[0].columns.\"pay$rate\"")).isEqualTo(new LoadedConfig.Location(16, 19));
    }

    @Test
    void locatesAnAbsentKeyAtItsNearestWrittenAncestor() {
        assertThat(loaded.locate("mappings[0].where")).isEqualTo(loaded.locate("mappings[0]"));
        assertThat(loaded.locate("mappings[0]")).isEqualTo(new LoadedConfig.Location(12, 5));
    }

    @Test
    void problemAtTakesTheFormOfEveryConfigError() {
        assertThat(loaded.problemAt("mappings[0].columns.id", "unknown column 'idd'").toString())
            .isEqualTo("turnout.yaml:15:11: mappings[0].columns.id: unknown column 'idd'");
    }

    @Test
    void rejectsAMalformedPath() {
        assertThatThrownBy(() -> loaded.locate("mappings[x].from"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("malformed key path \"mappings[x].from\" at offset 8");
        assertThatThrownBy(() -> loaded.locate("mappings..from")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsingADisplayedPathIsTheInverseOfBuildingIt() {
        KeyPath built = KeyPath.ROOT.key("mappings").index(3).key("columns").key("a \"b\".c");
        assertThat(KeyPath.parse(built.display())).isEqualTo(built);
    }
}
