package dev.turnout.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.turnout.core.config.internal.EnvExpander;

class EnvExpanderTest {

    private final EnvExpander env = new EnvExpander(Map.of("HOST", "db1", "EMPTY", ""));

    @Test
    void expandsSetVariablesAndDefaults() {
        assertThat(env.expand("jdbc:postgresql://${HOST}:${PORT:-5432}/app")).isEqualTo("jdbc:postgresql://db1:5432/app");
        assertThat(env.expand("${EMPTY:-fallback}")).as("an empty variable takes the default").isEqualTo("fallback");
        assertThat(env.expand("${EMPTY}")).isEmpty();
        assertThat(env.expand("${NOPE:-}")).isEmpty();
        assertThat(env.expand("cost: $$5 and $x")).isEqualTo("cost: $5 and $x");
    }

    @Test
    void rejectsUnsetAndMalformedReferences() {
        assertThatThrownBy(() -> env.expand("${NOPE}"))
            .hasMessage("environment variable NOPE is not set; set it or write ${NOPE:-default}");
        assertThatThrownBy(() -> env.expand("${HOST"))
            .hasMessage("unterminated reference '${HOST': expected ${NAME} or ${NAME:-default}");
        assertThatThrownBy(() -> env.expand("${1abc}"))
            .hasMessage("malformed reference '${1abc}': expected ${NAME} or ${NAME:-default} with NAME of letters, "
                + "digits and _");
    }
}
